import { AGENT_NAMES, AgentError, isStorableText, toStorableText, truncate, type AgentRequest } from '@aether/core';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { FakeAgentDirectory } from '../testing/fake-agent-directory';
import { InMemoryConversationStore } from '../testing/in-memory-conversation.store';
import { dataOf, sseBlocks } from '../testing/raw-sse-reader';
import { startGatewayApp, testConfig, type GatewayTestApp } from '../testing/gateway-test-app';

const API_KEY = 'sk-properties';
const LIMITS = { maxMessages: 20, maxMessageChars: 2_000, maxTotalChars: 6_000, maxUserChars: 64 };

// ── Arbitraries: what a hostile or careless client may send ────────────────────────────────────

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const awkward = fc.constantFrom('\u0000', '👍', '👨‍👩‍👧‍👦', '🇯🇵', 'e\u0301', '日本', '\uFEFF', '\u202E', '\n', '"', '\\', '\u001b', '\u2028', '%00');
const character = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: awkward },
  { weight: 1, arbitrary: loneSurrogate },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);
const nastyText = fc.string({ unit: character, maxLength: 30 });
/** Over the configured limits, with a cut-sensitive emoji in it. */
const hugeText = fc.integer({ min: 1_990, max: 2_600 }).map((n) => `${'a'.repeat(n)}👨‍👩‍👧‍👦${'b'.repeat(10)}`);
const hugeNumber = fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 5e-324, -0, 2 ** 53);
const wrongType = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  hugeNumber,
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(nastyText, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);
/** A value nested `depth` levels deep, with a question at the bottom (deeper nesting is sent as raw JSON text below). */
const deepNesting = fc.integer({ min: 50, max: 400 }).map((depth) => {
  let value: unknown = 'how deep?';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { nested: value };
  return value;
});

const role = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('user', 'user', 'assistant', 'system', 'developer', 'tool') },
  { weight: 1, arbitrary: nastyText },
  { weight: 1, arbitrary: wrongType },
);
const textPart = fc.record(
  { type: fc.oneof({ weight: 6, arbitrary: fc.constant('text') }, { weight: 1, arbitrary: nastyText }), text: fc.oneof({ weight: 6, arbitrary: nastyText }, { weight: 1, arbitrary: wrongType }) },
  { requiredKeys: [] },
);
const content = fc.oneof(
  { weight: 8, arbitrary: nastyText },
  { weight: 2, arbitrary: fc.array(textPart, { maxLength: 3 }) },
  { weight: 1, arbitrary: hugeText },
  { weight: 1, arbitrary: wrongType },
  { weight: 1, arbitrary: deepNesting },
);
const message = fc.oneof(
  { weight: 12, arbitrary: fc.record({ role, content }, { requiredKeys: ['role'] }) },
  { weight: 1, arbitrary: wrongType },
);
const messages = fc.oneof(
  { weight: 12, arbitrary: fc.array(message, { minLength: 1, maxLength: 5 }) },
  { weight: 1, arbitrary: fc.array(message, { minLength: LIMITS.maxMessages, maxLength: LIMITS.maxMessages + 5 }) },
  { weight: 1, arbitrary: fc.array(fc.constant({ role: 'user', content: 'x'.repeat(1_500) }), { minLength: 4, maxLength: 6 }) },
  { weight: 1, arbitrary: wrongType },
);
const conversationId = fc.oneof(
  fc.uuid(),
  nastyText,
  fc.constantFrom('日本', 'a\u0000b', ' padded ', 'x'.repeat(250)),
  wrongType,
);
const chatBody = (stream: fc.Arbitrary<unknown>) =>
  fc.record(
    {
      model: fc.oneof(fc.constant('aether-offline'), nastyText, wrongType),
      messages,
      stream,
      temperature: fc.oneof(fc.double({ min: 0, max: 2, noNaN: true }), hugeNumber, wrongType),
      max_tokens: fc.oneof(fc.integer({ min: 1, max: 4096 }), hugeNumber, wrongType),
      user: fc.oneof(nastyText, hugeText, wrongType),
      conversation_id: conversationId,
      agent: fc.oneof(fc.constantFrom('auto', ...AGENT_NAMES), nastyText, wrongType),
      stream_options: fc.oneof(fc.record({ include_usage: fc.oneof(fc.boolean(), wrongType) }), wrongType),
      deep: deepNesting,
    },
    { requiredKeys: [] },
  );

/** Well-formed requests whose only hostility is in their text: each must be answered and remembered. */
const question = nastyText.filter((text) => toStorableText(text).trim() !== '');
const questionBody = fc.record({
  messages: fc.array(fc.record({ role: fc.constantFrom('user', 'assistant', 'system'), content: question }), { maxLength: 4 }),
  question,
  stream: fc.boolean(),
});

// ── Checks: every answer is a well-formed OpenAI body, never a 5xx ─────────────────────────────

interface ErrorBody {
  error: { message: unknown; type: unknown; param?: unknown; code?: unknown };
}

function expectOpenAiError(body: unknown): asserts body is ErrorBody {
  const error = (body as ErrorBody).error;
  expect(typeof error?.message).toBe('string');
  expect(['invalid_request_error', 'not_found_error', 'authentication_error', 'rate_limit_error']).toContain(error.type);
}

async function expectWellFormed(response: Response): Promise<void> {
  expect(response.status).toBeLessThan(500);
  const type = response.headers.get('content-type') ?? '';
  if (response.status !== 200) {
    expect(type).toMatch(/^application\/json/);
    expectOpenAiError(await response.json());
    return;
  }
  if (type.startsWith('text/event-stream')) {
    const data: unknown[] = [];
    for await (const block of sseBlocks(response)) {
      const event = dataOf(block);
      if (event !== undefined) data.push(event);
    }
    expect(data.at(-1)).toBe('[DONE]');
    for (const event of data.slice(0, -1)) {
      expect(event).toEqual(expect.objectContaining({ object: 'chat.completion.chunk' }));
    }
    return;
  }
  const completion = (await response.json()) as { object: string; choices: Array<{ message: { content: string } }>; conversation_id: string };
  expect(completion.object).toBe('chat.completion');
  expect(typeof completion.choices[0].message.content).toBe('string');
  expect(response.headers.get('x-aether-conversation-id')).toBe(completion.conversation_id);
}

/** A path segment with any bytes at all, percent-encoded (so invalid UTF-8, NUL and encoded surrogates reach the server). */
const rawSegment = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 12 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
  nastyText.map((text) => encodeURIComponent(toStorableText(text)) || 'x'),
  fc.constantFrom('%00', '%E6%97%A5%E6%9C%AC', '%ED%A0%80', '%FF', 'a%2Fb', '..', '%20'),
);

// Thousands of HTTP requests: a few seconds alone, longer on a busy machine running other suites.
const PROPERTY_TIMEOUT_MS = 60_000;

describe('gateway request properties: hostile bodies and ids never become a 5xx', () => {
  let gateway: GatewayTestApp;
  let conversations: InMemoryConversationStore;
  let agents: FakeAgentDirectory;

  beforeAll(async () => {
    agents = new FakeAgentDirectory();
    // Each agent answers with a preview of the question, and refuses what PostgreSQL's jsonb would
    // refuse (as the agents' task stores do): text the gateway failed to make storable is a 5xx here.
    for (const name of AGENT_NAMES) {
      agents.clients[name].script = async function* (request: AgentRequest) {
        const texts = [request.message, request.context.conversationId, ...request.history.map((turn) => turn.content)];
        if (!texts.every(isStorableText)) throw new AgentError('agent_unavailable', `${name} unreachable: unsupported Unicode escape sequence`, name);
        yield { type: 'token', agent: name, content: `You said: ${truncate(request.message, 40)}` };
      };
    }
    conversations = new InMemoryConversationStore();
    gateway = await startGatewayApp({
      agents,
      conversations,
      config: {
        apiKeys: [API_KEY],
        requestLimits: LIMITS,
        apiKeyLimits: { ...testConfig().apiKeyLimits, requestsPerMinute: 0, maxConcurrent: 0 },
      },
    });
  });

  afterAll(() => gateway.close());

  const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };
  const post = (body: string) => fetch(`${gateway.origin}/v1/chat/completions`, { method: 'POST', headers, body });

  it('answers any generated non-streaming or streaming body with a completion, a stream or an OpenAI error', async () => {
    await fc.assert(
      fc.asyncProperty(chatBody(fc.oneof(fc.boolean(), wrongType)), async (body) => {
        await expectWellFormed(await post(JSON.stringify(body)));
      }),
      { numRuns: 1_200 },
    );
  }, PROPERTY_TIMEOUT_MS);

  it('answers any generated streaming body with a stream ending in [DONE] or an OpenAI error', async () => {
    await fc.assert(
      fc.asyncProperty(chatBody(fc.constant(true)), async (body) => {
        await expectWellFormed(await post(JSON.stringify(body)));
      }),
      { numRuns: 500 },
    );
  }, PROPERTY_TIMEOUT_MS);

  it('answers numbers JSON cannot hold, raw lone surrogates and NUL escapes in the JSON text itself', async () => {
    const raw = fc.oneof(
      fc.constantFrom('1e999', '-1e999', '123456789012345678901234567890', '0.0000000000000000000001e-400').map(
        (number) => `{"messages":[{"role":"user","content":"hi"}],"temperature":${number},"max_tokens":${number}}`,
      ),
      fc.constantFrom('\\u0000', '\\ud800', '\\udfff', '\\ud83d', '\\ude00\\ud83d', '\\u0000\\ud800x').map(
        (escape) => `{"messages":[{"role":"user","content":"a${escape}b"}],"user":"u","stream":${escape.length % 2 === 0}}`,
      ),
      fc.integer({ min: 1, max: 20_000 }).map((depth) => `{"messages":${'['.repeat(depth)}${']'.repeat(depth)}}`),
      fc.string({ unit: character, maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(raw, async (body) => {
        await expectWellFormed(await post(body));
      }),
      { numRuns: 300 },
    );
  }, PROPERTY_TIMEOUT_MS);

  it('answers every well-formed question whatever its characters, and remembers it as storable text', async () => {
    await fc.assert(
      fc.asyncProperty(questionBody, async ({ messages: earlier, question, stream }) => {
        const id = randomUUID();
        const response = await post(JSON.stringify({ model: 'aether-offline', messages: [...earlier, { role: 'user', content: question }], stream, conversation_id: id }));
        expect(response.status).toBe(200);
        await expectWellFormed(response);
        const caller = agents.clients.orchestrator.calls.at(-1)?.request.context.userId ?? '';
        const stored = await conversations.get(id, caller);
        expect(stored?.messages.map((m) => m.content)).toEqual([toStorableText(question), expect.stringContaining('You said: ')]);
      }),
      { numRuns: 300 },
    );
  }, PROPERTY_TIMEOUT_MS);

  it('answers the conversations endpoints with any id or cursor: a page, a deletion, a 404 or a 400', async () => {
    const query = fc.record(
      { limit: fc.oneof(fc.nat({ max: 2_000 }).map(String), rawSegment), before: rawSegment, after: rawSegment, offset: rawSegment },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'DELETE'), rawSegment, query, async (method, id, params) => {
        const search = Object.entries(params).map(([key, value]) => `${key}=${value}`).join('&');
        const response = await fetch(`${gateway.origin}/v1/conversations/${id}${search ? `?${search}` : ''}`, { method, headers });
        expect(response.status).toBeLessThan(500);
        const body = await response.json();
        if (response.status >= 400) expectOpenAiError(body);
        else expect(['conversation', 'conversation.deleted']).toContain(body.object);
      }),
      { numRuns: 600 },
    );
    const list = fc.asyncProperty(query, async (params) => {
      const search = Object.entries(params).map(([key, value]) => `${key}=${value}`).join('&');
      const response = await fetch(`${gateway.origin}/v1/conversations?${search}`, { headers });
      expect(response.status).toBeLessThan(500);
      const body = await response.json();
      if (response.status >= 400) expectOpenAiError(body);
      else expect(body.object).toBe('list');
    });
    await fc.assert(list, { numRuns: 300 });
  }, PROPERTY_TIMEOUT_MS);
});
