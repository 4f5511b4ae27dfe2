import { loadConfig } from '@aether/config';
import { toAgentRequest } from './agent-request.mapper';
import { parseChatCompletionRequest } from './chat-completion-request.schema';

describe('toAgentRequest', () => {
  const origin = { userId: 'key-abcdef12', model: 'aether-offline', conversationId: 'c-resolved' };
  const limits = loadConfig({}).requestLimits;

  it('takes the last user message as the turn and earlier user/assistant/system turns as history', () => {
    const request = parseChatCompletionRequest({
      model: 'aether-offline',
      messages: [
        { role: 'developer', content: 'You are terse.' },
        { role: 'user', content: [{ type: 'text', text: 'Turn on' }, { type: 'text', text: 'the porch light' }] },
        { role: 'assistant', content: null },
        { role: 'tool', content: '{"ok":true}' },
        { role: 'assistant', content: 'Done.' },
        { role: 'user', content: 'And the garage?' },
      ],
    }, limits);

    const agentRequest = toAgentRequest(request, origin);

    expect(agentRequest).toEqual({
      message: 'And the garage?',
      history: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Turn on\nthe porch light' },
        { role: 'assistant', content: 'Done.' },
      ],
      context: {
        conversationId: 'c-resolved',
        userId: 'key-abcdef12',
        model: 'aether-offline',
      },
    });
  });

  it('uses the conversation id it is given', () => {
    const request = parseChatCompletionRequest({ model: 'aether-offline', messages: [{ role: 'user', content: 'hi' }] }, limits);
    expect(toAgentRequest(request, { ...origin, conversationId: 'c-1' }).context).toEqual({
      conversationId: 'c-1',
      userId: 'key-abcdef12',
      model: 'aether-offline',
    });
  });
});
