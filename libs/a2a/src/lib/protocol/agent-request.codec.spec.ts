import { Role, SendMessageRequest, type Message } from '@a2a-js/sdk';
import { AgentError, type AgentRequest } from '@aether/core';
import { decodeAgentRequest, encodeAgentRequest } from './agent-request.codec';

function plainMessage(parts: Message['parts'], metadata?: Record<string, unknown>): Message {
  return { messageId: 'm', contextId: 'c', taskId: '', role: Role.ROLE_USER, parts, metadata, extensions: [], referenceTaskIds: [] };
}

describe('agent request codec', () => {
  const request: AgentRequest = {
    message: 'Analyze my energy usage',
    history: [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'Hello!' },
    ],
    data: { specialist: 'energy', hours: 24 },
    context: { conversationId: 'conv-42', userId: 'alice', model: 'gpt-4o-mini' },
  };

  it('survives the JSON wire unchanged', () => {
    const wire = SendMessageRequest.fromJSON(JSON.parse(JSON.stringify(SendMessageRequest.toJSON(encodeAgentRequest(request)))));
    const message = wire.message as Message;
    expect(message.contextId).toBe('conv-42');
    expect(decodeAgentRequest(message, message.contextId)).toEqual(request);
  });

  it('accepts a plain text message from a foreign A2A client', () => {
    const decoded = decodeAgentRequest(
      plainMessage([{ content: { $case: 'text', value: 'list my lights' }, mediaType: 'text/plain', filename: '', metadata: undefined }]),
      'ctx',
    );
    expect(decoded).toEqual({
      message: 'list my lights',
      history: [],
      data: undefined,
      context: { conversationId: 'ctx', userId: 'anonymous', model: undefined },
    });
  });

  it('rejects a malformed Aether payload and an empty message as invalid_input', () => {
    const malformed = plainMessage([
      { content: { $case: 'text', value: 'x' }, mediaType: 'text/plain', filename: '', metadata: undefined },
      { content: { $case: 'data', value: { history: [{ role: 'robot', content: 1 }] } }, mediaType: 'application/json', filename: '', metadata: undefined },
    ]);
    expect(() => decodeAgentRequest(malformed, 'c')).toThrow(AgentError);
    expect(() => decodeAgentRequest(malformed, 'c')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() => decodeAgentRequest(plainMessage([]), 'c')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
