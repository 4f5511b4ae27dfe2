import { LIBRECHAT_TITLE, UTILITY_PROMPTS } from '../../testing/utility-prompts';
import { offlineUtilityAnswer } from './utility-answers';

const EMOJI_FIRST = /^\p{Extended_Pictographic}\uFE0F?\s/u;

function answer(prompt: string, responseFormat?: Parameters<typeof offlineUtilityAnswer>[0]['responseFormat']) {
  return offlineUtilityAnswer({ messages: [{ role: 'user', content: prompt }], responseFormat });
}

describe('offline answers to utility requests', () => {
  it.each(UTILITY_PROMPTS)('$name: valid JSON with the asked key', ({ prompt, key, list }) => {
    const parsed = JSON.parse(answer(prompt)) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([key]);
    if (list) {
      const values = parsed[key] as unknown[];
      expect(values.length).toBeGreaterThanOrEqual(1);
      expect(values.length).toBeLessThanOrEqual(5);
      for (const value of values) expect(typeof value).toBe('string');
    } else {
      expect(typeof parsed[key]).toBe('string');
    }
  });

  it('titles the chat with an emoji and 3–5 words of its subject', () => {
    const { title } = JSON.parse(answer(UTILITY_PROMPTS[0].prompt)) as { title: string };
    expect(title).toBe('⚡ Analyze Energy Usage');
    const { title: lights } = JSON.parse(answer(UTILITY_PROMPTS[4].prompt)) as { title: string };
    expect(lights).toMatch(EMOJI_FIRST);
    expect(lights.split(' ').slice(1)).toHaveLength(3);
    expect(lights).toContain('Lights');
  });

  it('gives 1–3 tags and three follow-up questions about the chat', () => {
    const { tags } = JSON.parse(answer(UTILITY_PROMPTS[1].prompt)) as { tags: string[] };
    expect(tags).toEqual(['Smart Home', 'Energy', 'Analyze']);
    const { follow_ups } = JSON.parse(answer(UTILITY_PROMPTS[2].prompt)) as { follow_ups: string[] };
    expect(follow_ups).toHaveLength(3);
    for (const question of follow_ups) expect(question).toMatch(/\?$/);
    expect(follow_ups.join(' ')).toMatch(/energy/i);
  });

  it('answers a plain-text title prompt (LibreChat) with a plain title', () => {
    const title = answer(LIBRECHAT_TITLE);
    expect(title).toBe('🏠 Devices Kitchen Home');
  });

  it('follows a json_schema response format', () => {
    const text = answer('Summarise: USER: What lights are on?', {
      type: 'json_schema',
      json_schema: { name: 'meta', schema: { type: 'object', properties: { title: { type: 'string' }, tags: { type: 'array' } } } },
    });
    const parsed = JSON.parse(text) as { title: string; tags: string[] };
    expect(parsed.title).toMatch(EMOJI_FIRST);
    expect(Array.isArray(parsed.tags)).toBe(true);
  });
});
