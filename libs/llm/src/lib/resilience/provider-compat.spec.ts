import { toJsonSchema } from '@langchain/core/utils/json_schema';
import { z } from 'zod';
import { compatibilityViolations } from '../../testing/fake-openai-server';
import { defaultOutputTokens, isOpenAiReasoningModel, normaliseChatRequest, rejectsSamplingParameters, sanitiseToolSchema } from './provider-compat';

describe('sanitiseToolSchema', () => {
  it('turns a zod tool schema into the subset every server accepts', () => {
    const schema = toJsonSchema(
      z.object({
        query: z.string().min(1).describe('Words to find'),
        domain: z.string().regex(/^[a-z_]+$/).optional(),
        limit: z.number().int().max(50).default(20),
        when: z.string().datetime().nullable(),
        kind: z.literal('light'),
        tags: z.array(z.object({ name: z.string().email() })),
      }),
    );
    expect(JSON.stringify(schema)).toMatch(/\$schema|additionalProperties/);

    expect(sanitiseToolSchema(schema)).toEqual({
      type: 'object',
      properties: {
        query: { type: 'string', minLength: 1, description: 'Words to find' },
        domain: { type: 'string' },
        limit: { type: 'integer', minimum: Number.MIN_SAFE_INTEGER, maximum: 50 },
        when: { type: 'string', format: 'date-time', nullable: true },
        kind: { type: 'string', enum: ['light'] },
        tags: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
      },
      required: ['query', 'when', 'kind', 'tags'],
    });
  });

  it('inlines $ref and definitions, ends a recursive reference in a plain object, keeps descriptions', () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      definitions: { area: { type: 'object', properties: { id: { type: 'string' } }, additionalProperties: false } },
      $defs: { node: { type: 'object', properties: { child: { $ref: '#/$defs/node', description: 'Next node' } } } },
      type: 'object',
      properties: { area: { $ref: '#/definitions/area' }, tree: { $ref: '#/$defs/node' }, choice: { oneOf: [{ type: 'string' }, { type: 'number' }] }, either: { type: ['string', 'number'] } },
    };
    expect(sanitiseToolSchema(schema)).toEqual({
      type: 'object',
      properties: {
        area: { type: 'object', properties: { id: { type: 'string' } } },
        tree: { type: 'object', properties: { child: { type: 'object', description: 'Next node' } } },
        choice: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        either: { anyOf: [{ type: 'string' }, { type: 'number' }] },
      },
    });
  });

  it('answers a parameterless object for a missing schema', () => {
    expect(sanitiseToolSchema(undefined)).toEqual({ type: 'object', properties: {} });
  });
});

describe('reasoning model families', () => {
  it.each([
    ['o1', true, true],
    ['o3-mini', true, true],
    ['o4-mini-2025-04-16', true, true],
    ['openai/gpt-5', true, true],
    ['gpt-5-mini', true, true],
    ['gpt-5-chat-latest', false, false],
    ['deepseek-reasoner', false, true],
    ['gpt-4o-mini', false, false],
    ['omni-model', false, false],
    ['llama3.1', false, false],
  ])('%s: OpenAI reasoning %s, no sampling parameters %s', (model, openAi, noSampling) => {
    expect(isOpenAiReasoningModel(model)).toBe(openAi);
    expect(rejectsSamplingParameters(model)).toBe(noSampling);
  });
});

describe('normaliseChatRequest', () => {
  const tools = [{ type: 'function', function: { name: 'find', description: 'Find', strict: true, parameters: { $schema: 'x', type: 'object', properties: { q: { type: 'string' } }, additionalProperties: false } } }];
  const messages = [
    { role: 'system', content: [{ type: 'text', text: 'You are the Architect.' }, { type: 'text', text: 'Be brief.' }] },
    { role: 'user', content: 'Hi' },
    { role: 'system', content: 'Answer in French.' },
    { role: 'assistant', content: 'Bonjour' },
    { role: 'user', content: 'Lights?' },
  ];

  it('merges every system message into one first string message, sanitises tools, caps output with max_tokens', () => {
    const body = normaliseChatRequest({ model: 'gpt-4o-mini', messages, tools, temperature: 0.3, stream: true }, 4096);
    expect(body).toEqual({
      model: 'gpt-4o-mini',
      stream: true,
      temperature: 0.3,
      max_tokens: 4096,
      messages: [
        { role: 'system', content: 'You are the Architect.\nBe brief.\n\nAnswer in French.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Bonjour' },
        { role: 'user', content: 'Lights?' },
      ],
      tools: [{ type: 'function', function: { name: 'find', description: 'Find', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }],
    });
    expect(compatibilityViolations(body)).toEqual([]);
  });

  it('drops sampling parameters and sends max_completion_tokens (the smaller cap) to an OpenAI reasoning model', () => {
    const body = normaliseChatRequest({ model: 'o3-mini', messages: [{ role: 'developer', content: 'Rules' }, { role: 'user', content: 'Hi' }], temperature: 0.3, top_p: 0.9, presence_penalty: 1, max_tokens: 20 }, 4096);
    expect(body).toEqual({ model: 'o3-mini', messages: [{ role: 'developer', content: 'Rules' }, { role: 'user', content: 'Hi' }], max_completion_tokens: 20 });
  });

  it('drops sampling parameters but keeps max_tokens for deepseek-reasoner', () => {
    expect(normaliseChatRequest({ model: 'deepseek-reasoner', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.6 }, 1000)).toEqual({
      model: 'deepseek-reasoner',
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 1000,
    });
  });

  it.each([
    ['o3-mini', 'max_completion_tokens', 32_768],
    ['openai/gpt-5', 'max_completion_tokens', 32_768],
    ['deepseek-reasoner', 'max_tokens', 32_768],
    ['gpt-5-chat-latest', 'max_tokens', 4_096],
    ['gpt-4o', 'max_tokens', 4_096],
    ['deepseek-r1:8b', 'max_tokens', 4_096],
  ])('without LLM_MAX_OUTPUT_TOKENS, caps %s by its family: %s %d', (model, field, cap) => {
    expect(defaultOutputTokens(model)).toBe(cap);
    const body = normaliseChatRequest({ model, messages: [{ role: 'user', content: 'Hi' }] }) as Record<string, unknown>;
    expect(body[field]).toBe(cap);
    // A caller's smaller cap still wins over the family's.
    expect((normaliseChatRequest({ model, messages: [], max_tokens: 50 }) as Record<string, unknown>)[field]).toBe(50);
  });

  it('lets LLM_MAX_OUTPUT_TOKENS override the family default, up or down', () => {
    expect(normaliseChatRequest({ model: 'o3', messages: [] }, 1_000)).toMatchObject({ max_completion_tokens: 1_000 });
    expect(normaliseChatRequest({ model: 'llama3.1', messages: [] }, 16_000)).toMatchObject({ max_tokens: 16_000 });
  });

  it('leaves a request without system messages or tools as it is, but for the output cap', () => {
    expect(normaliseChatRequest({ model: 'llama3.1', messages: [{ role: 'user', content: 'Hi' }] }, 512)).toEqual({ model: 'llama3.1', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 512 });
  });
});

describe('compatibilityViolations (the validating fake provider)', () => {
  it('names each thing a strict server refuses', () => {
    expect(
      compatibilityViolations({
        model: 'gpt-5',
        messages: [{ role: 'user', content: 'Hi' }, { role: 'system', content: [{ type: 'text', text: 'x' }] }, { role: 'system', content: 'y' }],
        tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: { type: 'object', additionalProperties: false } }, $schema: 'x' } } }],
        temperature: 1,
        top_p: 1,
        max_tokens: 10,
      }),
    ).toEqual([
      'tools[0].function.parameters.properties.a.additionalProperties is not supported',
      'tools[0].function.parameters.$schema is not supported',
      '2 system messages; only one is supported',
      'messages[1]: a system message must be the first message',
      'messages[1].content: system content must be a string',
      'messages[2]: a system message must be the first message',
      "'temperature' is not supported with model gpt-5",
      "'top_p' is not supported with model gpt-5",
      "'max_tokens' is not supported with model gpt-5; use 'max_completion_tokens'",
    ]);
  });
});
