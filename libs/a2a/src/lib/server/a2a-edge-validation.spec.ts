import { Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AetherConfigModule, loadConfig } from '@aether/config';
import type { Agent, AgentCardSpec, AgentEvent, AgentRequest } from '@aether/core';
import fc from 'fast-check';
import { AetherAgent } from '../handlers/aether-agent.decorator';
import { A2aServerModule } from './a2a-server.module';
import { MAX_HISTORY_LENGTH, MAX_JSON_DEPTH } from './a2a-request.validation';

const TOKEN = 'edge-token';
const spec: AgentCardSpec = {
  name: 'librarian',
  description: 'Discovers the Home Assistant entities of the home',
  skills: [{ id: 'discover', name: 'Discover', description: 'Catalog entities', tags: ['discovery'], examples: ['What lights do I have?'] }],
};

/** Records every run: a refused request must never reach it. */
@AetherAgent({ name: 'librarian', card: spec })
class RecordingAgent implements Agent {
  readonly name = 'librarian' as const;
  readonly requests: AgentRequest[] = [];
  async *run(request: AgentRequest): AsyncIterable<AgentEvent> {
    this.requests.push(request);
    yield { type: 'token', agent: 'librarian', content: 'ok' };
  }
}

const goodMessage = { messageId: 'm-1', role: 'ROLE_USER', parts: [{ text: 'what lights?' }] };
let sent = 0;
/** A SendMessage call; goodMessage's id is made unique per call (a service runs a message id once). */
const send = (message: unknown, extra: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'SendMessage',
  params: { message: (message as { messageId?: unknown })?.messageId === goodMessage.messageId ? { ...(message as object), messageId: `m-${++sent}` } : message, ...extra },
});
function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe('A2A JSON-RPC edge validation (real HTTP on loopback)', () => {
  const agent = new RecordingAgent();
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    @Module({ providers: [{ provide: RecordingAgent, useValue: agent }] })
    class TestAgentModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [
        AetherConfigModule.forRoot(loadConfig({ NODE_ENV: 'test', AETHER_SERVICE_TOKEN: TOKEN, HOST: '127.0.0.1' })),
        TestAgentModule,
        A2aServerModule.forAgent('librarian'),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ bodyParser: false, logger: false, forceCloseConnections: true });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(() => app?.close());

  async function post(body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'A2A-Version': '1.0', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
  }

  it.each<[string, number, string | number | null, unknown]>([
    ['malformed JSON', -32700, null, '{"jsonrpc": "2.0", "id": 1, "method": '],
    ['an empty body', -32600, null, ''],
    ['a batch (array)', -32600, null, [{ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: 't' } }]],
    ['a bare string', -32600, null, '"hello"'],
    ['missing jsonrpc', -32600, 1, { id: 1, method: 'GetTask', params: { id: 't' } }],
    ['jsonrpc "1.0"', -32600, 1, { jsonrpc: '1.0', id: 1, method: 'GetTask', params: { id: 't' } }],
    ['missing method', -32600, 1, { jsonrpc: '2.0', id: 1 }],
    ['empty method', -32600, 1, { jsonrpc: '2.0', id: 1, method: '' }],
    ['non-string method', -32600, 1, { jsonrpc: '2.0', id: 1, method: 7 }],
    ['an object id', -32600, null, { jsonrpc: '2.0', id: { a: 1 }, method: 'GetTask', params: { id: 't' } }],
    ['an array id', -32600, null, { jsonrpc: '2.0', id: [1], method: 'GetTask', params: { id: 't' } }],
    ['a fractional id', -32600, null, { jsonrpc: '2.0', id: 1.5, method: 'GetTask', params: { id: 't' } }],
    ['a boolean id', -32600, null, { jsonrpc: '2.0', id: true, method: 'GetTask', params: { id: 't' } }],
    ['an unknown method', -32601, 'x', { jsonrpc: '2.0', id: 'x', method: 'tasks/explode', params: 'not even params' }],
    ['params not an object', -32602, 2, { jsonrpc: '2.0', id: 2, method: 'GetTask', params: [1] }],
    ['missing params', -32602, 2, { jsonrpc: '2.0', id: 2, method: 'SendMessage' }],
    ['a message with no parts', -32602, 1, send({ ...goodMessage, parts: [] })],
    ['a message with only an empty text part', -32602, 1, send({ ...goodMessage, parts: [{ text: '  ' }] })],
    ['an unknown part kind', -32602, 1, send({ ...goodMessage, parts: [{ image: 'x' }] })],
    ['a part with two kinds', -32602, 1, send({ ...goodMessage, parts: [{ text: 'a', data: {} }] })],
    ['a bogus role', -32602, 1, send({ ...goodMessage, role: 'ROLE_ROBOT' })],
    ['text: 123', -32602, 1, send({ ...goodMessage, parts: [{ text: 123 }] })],
    ['NUL in a messageId', -32602, 1, send({ ...goodMessage, messageId: 'm\u0000' })],
    ['a non-ASCII contextId', -32602, 1, send({ ...goodMessage, contextId: '日本' })],
    ['NUL in a GetTask id', -32602, 3, { jsonrpc: '2.0', id: 3, method: 'GetTask', params: { id: 'a\u0000b' } }],
    ['a missing messageId', -32602, 1, send({ role: 'ROLE_USER', parts: [{ text: 'hi' }] })],
    ['negative historyLength', -32602, 1, send(goodMessage, { configuration: { historyLength: -1 } })],
    ['huge historyLength', -32602, 1, send(goodMessage, { configuration: { historyLength: 1e300 } })],
    ['fractional historyLength', -32602, 1, send(goodMessage, { configuration: { historyLength: 2.5 } })],
    ['string historyLength', -32602, 1, send(goodMessage, { configuration: { historyLength: '10' } })],
    ['GetTask historyLength over the limit', -32602, 3, { jsonrpc: '2.0', id: 3, method: 'GetTask', params: { id: 't', historyLength: MAX_HISTORY_LENGTH + 1 } }],
    ['GetTask without an id', -32602, 3, { jsonrpc: '2.0', id: 3, method: 'GetTask', params: {} }],
    ['ListTasks pageSize as a string', -32602, 4, { jsonrpc: '2.0', id: 4, method: 'ListTasks', params: { pageSize: 'ten' } }],
    ['ListTasks with a bogus status', -32602, 4, { jsonrpc: '2.0', id: 4, method: 'ListTasks', params: { status: 'TASK_STATE_BORED' } }],
    ['ListTasks with a bad timestamp', -32602, 4, { jsonrpc: '2.0', id: 4, method: 'ListTasks', params: { statusTimestampAfter: 'yesterday' } }],
    // As text: JSON.stringify itself overflows the stack on this.
    ['10 000-deep metadata', -32602, 1, `{"jsonrpc":"2.0","id":1,"method":"SendMessage","params":{"message":${JSON.stringify(goodMessage)},"metadata":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}}`],
    ['100 000-deep arrays', -32602, 1, `{"jsonrpc":"2.0","id":1,"method":"GetTask","params":{"id":"t","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`],
  ])('refuses %s with %i, id %p, and runs nothing', async (_case, code, id, body) => {
    const before = agent.requests.length;
    const response = await post(body);
    expect(response.status).toBeLessThan(500);
    expect(JSON.parse(response.text)).toEqual({ jsonrpc: '2.0', id, error: { code, message: expect.any(String) } });
    expect(agent.requests.length).toBe(before);
  });

  it(`accepts metadata nested ${MAX_JSON_DEPTH - 5} levels deep`, async () => {
    const response = await post(send(goodMessage, { metadata: nested(MAX_JSON_DEPTH - 5) }));
    expect(JSON.parse(response.text)).toMatchObject({ jsonrpc: '2.0', id: 1, result: { task: { status: { state: 'TASK_STATE_COMPLETED' } } } });
  });

  it('does not run a notification (no id): HTTP 204, no body, no task', async () => {
    const before = agent.requests.length;
    const response = await post({ jsonrpc: '2.0', method: 'SendMessage', params: { message: goodMessage } });
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect(agent.requests.length).toBe(before);
  });

  it('answers a streaming method as one SSE error event when the caller asked for a stream', async () => {
    for (const body of [
      { jsonrpc: '2.0', id: 9, method: 'SendStreamingMessage', params: { message: { ...goodMessage, parts: [] } } },
      { jsonrpc: '2.0', id: 9, method: 'SubscribeToTask', params: { id: 'no-such-task' } },
    ]) {
      const response = await post(body, { accept: 'text/event-stream' });
      expect(response.status).toBe(200);
      expect(response.contentType).toMatch(/text\/event-stream/);
      const frames = response.text.split('\n\n').filter(Boolean);
      expect(frames).toHaveLength(1);
      const event = JSON.parse(frames[0].replace(/^(event: error\n)?data: /, ''));
      expect(event).toMatchObject({ jsonrpc: '2.0', id: 9, error: { code: expect.any(Number) } });
    }
  });

  it('repairs text as the gateway does (lone surrogates → U+FFFD, NUL removed) and runs the request', async () => {
    const response = await post(send({ ...goodMessage, parts: [{ text: 'half \ud83d emoji\u0000' }] }));
    expect(JSON.parse(response.text)).toMatchObject({ result: { task: { status: { state: 'TASK_STATE_COMPLETED' } } } });
    expect(agent.requests.at(-1)!.message).toBe('half \uFFFD emoji');
  });

  // Property: whatever the envelope and params, the answer is a JSON-RPC envelope, never a 5xx.
  const nasty = fc.string({ unit: fc.oneof(fc.constantFrom('\u0000', '\ud800', '😀', '日'), fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 12 });
  const scalar = fc.oneof(nasty, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(1e308), fc.constant(-1));
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(nasty, tie('value'), { maxKeys: 3 })),
  })).value;
  const part = fc.oneof(fc.record({ text: fc.oneof(nasty, scalar) }), fc.record({ data: json }), fc.dictionary(fc.constantFrom('text', 'data', 'url', 'raw', 'image'), json, { maxKeys: 2 }));
  const messageArb = fc.record(
    { messageId: fc.oneof(nasty, scalar), role: fc.oneof(fc.constantFrom('ROLE_USER', 'ROLE_AGENT'), nasty, scalar), parts: fc.oneof(fc.array(part, { maxLength: 3 }), json), metadata: json },
    { requiredKeys: [] },
  );
  const params = fc.oneof(
    fc.record({ message: fc.oneof(messageArb, json), configuration: fc.record({ historyLength: scalar }, { requiredKeys: [] }) }, { requiredKeys: [] }),
    fc.record({ id: fc.oneof(nasty, scalar), historyLength: scalar, pageSize: scalar, status: fc.oneof(nasty, scalar) }, { requiredKeys: [] }),
    json,
  );
  const envelope = fc.record(
    {
      jsonrpc: fc.oneof(fc.constant('2.0'), scalar),
      id: fc.oneof(fc.integer(), nasty, fc.constant(null), json),
      method: fc.oneof(fc.constantFrom('SendMessage', 'GetTask', 'ListTasks', 'CancelTask', 'SubscribeToTask', 'GetExtendedAgentCard'), nasty, scalar),
      params,
    },
    { requiredKeys: [] },
  );

  it('for any envelope and params: never a 5xx, always a JSON-RPC answer with a valid id (or 204 for a notification)', async () => {
    await fc.assert(
      fc.asyncProperty(envelope, async (body) => {
        const response = await post(body);
        expect(response.status).toBeLessThan(500);
        if (response.status === 204) {
          expect(Object.hasOwn(body, 'id')).toBe(false);
          return;
        }
        const answer = JSON.parse(response.text) as { jsonrpc: string; id: unknown; error?: { code: number }; result?: unknown };
        expect(answer.jsonrpc).toBe('2.0');
        expect(answer.id === null || typeof answer.id === 'string' || Number.isInteger(answer.id)).toBe(true);
        expect(Object.hasOwn(answer, 'error') !== Object.hasOwn(answer, 'result')).toBe(true);
        if (answer.error) expect([-32700, -32600, -32601, -32602, -32001, -32002, -32003, -32004, -32005, -32006, -32007, -32009]).toContain(answer.error.code);
      }),
      { numRuns: 1500 },
    );
  }, 60_000);
});
