import { LIBRECHAT_TITLE, UTILITY_PROMPTS } from '@aether/llm/testing';
import type { ChatCompletionRequest } from '../chat/chat-completion-request.schema';
import { detectUtilityRequest } from './utility-request';

function chat(content: string, metadata: Record<string, unknown> = {}): ChatCompletionRequest {
  return {
    model: 'aether-offline',
    messages: [{ role: 'user', content }],
    stream: false,
    stop: [],
    metadata,
    includeUsage: false,
    agent: 'auto',
  };
}

describe('detectUtilityRequest', () => {
  it.each(UTILITY_PROMPTS)('recognises $name', ({ prompt, key }) => {
    const detected = detectUtilityRequest(chat(prompt));
    expect(detected?.source).toBe('template');
    expect(detected?.kind).toBe({ title: 'title', tags: 'tags', follow_ups: 'follow_ups', queries: 'queries' }[key]);
  });

  it('recognises a LibreChat-style title prompt', () => {
    expect(detectUtilityRequest(chat(LIBRECHAT_TITLE))).toEqual({ kind: 'title', source: 'template' });
  });

  it.each(['What lights are on?', 'Analyze my energy usage', 'Give my kitchen dashboard a better title', 'Export my energy data as JSON'])(
    'leaves a question for the agents: %s',
    (question) => {
      expect(detectUtilityRequest(chat(question))).toBeUndefined();
    },
  );

  it('follows the client: header or metadata, either way', () => {
    expect(detectUtilityRequest(chat('Summarise this in five words'), 'utility')).toEqual({ kind: 'other', source: 'header' });
    expect(detectUtilityRequest(chat('Summarise', { aether_request_kind: 'utility' }))?.source).toBe('metadata');
    expect(detectUtilityRequest(chat(UTILITY_PROMPTS[0].prompt), 'chat')).toBeUndefined();
    expect(detectUtilityRequest(chat('anything', { task: 'tags_generation' }))).toEqual({ kind: 'tags', source: 'metadata' });
    expect(detectUtilityRequest(chat('anything', { task: 'follow_up_generation' }))).toEqual({ kind: 'follow_ups', source: 'metadata' });
    expect(detectUtilityRequest(chat('anything', { task: 'query_generation' }))?.kind).toBe('queries');
  });
});
