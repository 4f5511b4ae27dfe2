import { loadConfig } from '@aether/config';
import { HumanMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { toJsonSchema } from '@langchain/core/utils/json_schema';
import { z } from 'zod';
import { compatibilityViolations, startFakeOpenAiServer, type FakeOpenAiServer } from '../../testing/fake-openai-server';
import { ConfiguredChatModelFactory } from '../configured-chat-model.factory';
import { normaliseChatRequest } from './provider-compat';
import { strictToolSchema, withoutOptionalNulls } from './strict-tools';

const searchTool = tool(async () => 'none', {
  name: 'search_entities',
  description: 'Find entities',
  schema: z.object({
    query: z.string().min(1),
    area: z.string().optional(),
    domain: z.enum(['light', 'lock']).optional(),
    since: z.string().nullable(),
    filters: z.array(z.object({ attribute: z.string(), value: z.string().optional() })).optional(),
  }),
});

/** A request with the tool as LangChain sends it (zod → JSON schema, `$schema` and all). */
const toolBody = () => ({
  model: 'gpt-4o',
  messages: [{ role: 'user', content: 'Hi' }],
  tools: [{ type: 'function', function: { name: 'search_entities', description: 'Find entities', parameters: toJsonSchema(searchTool.schema), strict: false } }],
});

describe('strict tool schemas (LLM_STRICT_TOOLS)', () => {
  it('sends every object closed, all properties required, optional and nullable ones accepting null, strict: true', () => {
    const body = normaliseChatRequest(toolBody(), undefined, { strictTools: true }) as { tools: Array<{ function: Record<string, unknown> }> };
    expect(body.tools[0].function).toEqual({
      name: 'search_entities',
      description: 'Find entities',
      strict: true,
      parameters: {
        type: 'object',
        properties: {
          query: { type: 'string' },
          area: { type: ['string', 'null'] },
          domain: { type: ['string', 'null'], enum: ['light', 'lock', null] },
          since: { type: ['string', 'null'] },
          filters: {
            type: ['array', 'null'],
            items: { type: 'object', properties: { attribute: { type: 'string' }, value: { type: ['string', 'null'] } }, required: ['attribute', 'value'], additionalProperties: false },
          },
        },
        required: ['query', 'area', 'domain', 'since', 'filters'],
        additionalProperties: false,
      },
    });
  });

  it('leaves the default mode as the portable subset the validating fake accepts', () => {
    const body = normaliseChatRequest(toolBody()) as { tools: Array<{ function: Record<string, unknown> }> };
    expect(body.tools[0].function).not.toHaveProperty('strict');
    expect(compatibilityViolations(body)).toEqual([]);
    // Strict mode needs the keyword Gemini refuses: it is opt-in for servers that take it.
    expect(compatibilityViolations(normaliseChatRequest(toolBody(), undefined, { strictTools: true }))).toContain('tools[0].function.parameters.additionalProperties is not supported');
  });

  it('removes the nulls written for optional properties, and keeps those of nullable required ones', () => {
    const portable = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string', nullable: true }, list: { type: 'array', items: { type: 'object', properties: { c: { type: 'string' } } } } }, required: ['b'] };
    expect(strictToolSchema(portable)).toMatchObject({ required: ['a', 'b', 'list'], additionalProperties: false });
    expect(withoutOptionalNulls({ a: null, b: null, list: [{ c: null }] }, portable)).toEqual({ b: null, list: [{}] });
  });

  describe('through the configured models', () => {
    let server: FakeOpenAiServer;
    afterEach(() => server.close());

    const nullArgs = { query: 'door', area: null, domain: null, since: null, filters: [{ attribute: 'device_class', value: null }] };
    const cleanArgs = { query: 'door', since: null, filters: [{ attribute: 'device_class' }] };

    it.each(['invoke', 'stream'] as const)('hands the tool arguments without the optional nulls (%s)', async (mode) => {
      server = await startFakeOpenAiServer(() => ({ toolCalls: [{ name: 'search_entities', args: nullArgs }], preamble: 'Looking.' }));
      const model = new ConfiguredChatModelFactory(loadConfig({ LLM_BASE_URL: server.baseUrl, LLM_MODEL: 'gpt-4o', LLM_STRICT_TOOLS: 'true' }).llm).create('architect').bindTools!([searchTool]);
      let args: unknown;
      if (mode === 'invoke') args = (await model.invoke([new HumanMessage('Is the door locked?')])).tool_calls?.[0]?.args;
      else {
        let message;
        for await (const chunk of await model.stream([new HumanMessage('Is the door locked?')])) message = message ? message.concat(chunk) : chunk;
        args = message?.tool_calls?.[0]?.args;
      }
      expect(args).toEqual(cleanArgs);
      expect(searchTool.schema.safeParse(args).success).toBe(true);
      const sent = server.requests[0].body.tools?.[0] as unknown as { function: { strict?: boolean; parameters: { additionalProperties?: boolean } } };
      expect(sent.function.strict).toBe(true);
      expect(sent.function.parameters.additionalProperties).toBe(false);
    });

    it('reassembles arguments split over many deltas before removing the nulls', async () => {
      const piece = (index: number, text: string) => ({ tool_calls: [{ index, function: { arguments: text } }] });
      server = await startFakeOpenAiServer(() => ({
        deltas: [
          { tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'search_entities', arguments: '' } }] },
          piece(0, '{"query":"door","ar'),
          { tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'search_entities', arguments: '{"query":"window",' } }] },
          piece(0, 'ea":null,"since":null}'),
          piece(1, '"domain":null,"since":"2026-12-01"}'),
        ],
        finish: 'tool_calls',
      }));
      const model = new ConfiguredChatModelFactory(loadConfig({ LLM_BASE_URL: server.baseUrl, LLM_MODEL: 'gpt-4o', LLM_STRICT_TOOLS: 'true' }).llm).create('architect').bindTools!([searchTool]);
      let message;
      for await (const chunk of await model.stream([new HumanMessage('Doors and windows?')])) message = message ? message.concat(chunk) : chunk;
      expect(message?.tool_calls?.map((call) => [call.id, call.args])).toEqual([
        ['call_a', { query: 'door', since: null }],
        ['call_b', { query: 'window', since: '2026-12-01' }],
      ]);
    });

    it('sends the portable subset to a fallback on another server', async () => {
      const other = await startFakeOpenAiServer(() => ({ text: 'ok' }), { validate: true });
      try {
        server = await startFakeOpenAiServer(() => ({ status: 503, error: { message: 'Overloaded' } }));
        const llm = loadConfig({ LLM_BASE_URL: server.baseUrl, LLM_MODEL: 'gpt-4o', LLM_STRICT_TOOLS: 'true', LLM_MAX_RETRIES: '0', LLM_FALLBACK_MODELS: `gemini-2.0-flash@${other.baseUrl}` }).llm;
        const answer = await new ConfiguredChatModelFactory(llm).create('architect').bindTools!([searchTool]).invoke([new HumanMessage('Hi')]);
        expect(answer.text).toBe('ok');
        expect((server.requests[0].body.tools?.[0] as unknown as { function: { strict?: boolean } }).function.strict).toBe(true);
        expect(other.requests.map((r) => r.rejected)).toEqual([undefined]);
      } finally {
        await other.close();
      }
    });
  });
});
