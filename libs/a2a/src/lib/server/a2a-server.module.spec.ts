import { TaskState, type StreamResponse } from '@a2a-js/sdk';
import { ClientFactory, type Client } from '@a2a-js/sdk/client';
import { request as httpRequest, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { Global, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AetherConfigModule, loadConfig } from '@aether/config';
import { inSpan, readServiceHealthDetails, ShutdownState } from '@aether/core';
import { recordSpans } from '@aether/core/testing';
import {
  AgentError,
  type Agent,
  type AgentCardSpec,
  type AgentEvent,
  type AgentRequest,
} from '@aether/core';
import { HttpAgentClient } from '../client/http-agent.client';
import { AetherAgent } from '../handlers/aether-agent.decorator';
import { AgentEventDecoder } from '../protocol/agent-event.codec';
import { encodeAgentRequest } from '../protocol/agent-request.codec';
import { A2aServerModule } from './a2a-server.module';
import { provideReadinessCheck } from './readiness-checks';
import { ReadinessMonitor } from './readiness-monitor';

const TOKEN = 'test-service-token';
const AUTH = { Authorization: `Bearer ${TOKEN}` };

class Deferred<T = void> {
  resolve!: (value: T) => void;
  readonly promise = new Promise<T>((resolve) => (this.resolve = resolve));
}

type Script = (request: AgentRequest, signal: AbortSignal) => AsyncIterable<AgentEvent>;

const spec: AgentCardSpec = {
  name: 'librarian',
  description: 'Discovers the Home Assistant entities of the home',
  skills: [{ id: 'discover', name: 'Discover', description: 'Catalog entities', tags: ['discovery'], examples: ['What lights do I have?'] }],
};

/** A librarian whose behaviour each test scripts; it records every run it was asked to do. */
@AetherAgent({ name: 'librarian', card: spec })
class ScriptedAgent implements Agent {
  readonly name = 'librarian' as const;
  readonly requests: AgentRequest[] = [];
  script: Script = async function* () {
    yield { type: 'token', agent: 'librarian', content: 'ok' };
  };

  run(request: AgentRequest, signal: AbortSignal): AsyncIterable<AgentEvent> {
    this.requests.push(request);
    return this.script(request, signal);
  }
}

function request(message: string): AgentRequest {
  return { message, history: [], context: { conversationId: 'conv-1', userId: 'alice' } };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

function rpc(method: string, params: unknown, id: string | number = 1) {
  return JSON.stringify({ jsonrpc: '2.0', id, method, params });
}

describe('A2aServerModule (real HTTP on loopback)', () => {
  const agent = new ScriptedAgent();
  const readiness = { homeAssistantUp: true };
  let app: INestApplication;
  let baseUrl: string;
  let sdkClient: Client;
  const shutdown = new ShutdownState();

  beforeAll(async () => {
    @Module({
      providers: [
        { provide: ScriptedAgent, useValue: agent },
        provideReadinessCheck({
          useFactory: () => ({
            name: 'home-assistant',
            check: async () => {
              if (!readiness.homeAssistantUp) throw new Error('Home Assistant at http://127.0.0.1:1 refused the connection');
            },
            details: () => ({ homeAssistantAccess: { admin: false, limitations: ['config APIs unavailable'] } }),
          }),
        }),
      ],
    })
    class TestAgentModule {}

    // As the service host provides it: one per process, for every module.
    @Global()
    @Module({ providers: [{ provide: ShutdownState, useValue: shutdown }], exports: [ShutdownState] })
    class ProcessShutdownModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [
        AetherConfigModule.forRoot(loadConfig({
          NODE_ENV: 'test',
          AETHER_SERVICE_TOKEN: TOKEN,
          HOST: '127.0.0.1',
          // Probes run when the test says (probeAll), not on a timer; one failure turns a dependency down.
          AETHER_HEALTH_INTERVAL_MS: '3600000',
          AETHER_HEALTH_FAILURES_TO_DOWN: '1',
        })),
        TestAgentModule,
        ProcessShutdownModule,
        A2aServerModule.forAgent('librarian'),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ bodyParser: false, logger: false, forceCloseConnections: true });
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    sdkClient = await new ClientFactory().createFromUrl(baseUrl);
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(() => {
    agent.requests.length = 0;
    readiness.homeAssistantUp = true;
  });

  it('serves the v1.0 card with both JSON-RPC interfaces at its real URL', async () => {
    const response = await fetch(`${baseUrl}/.well-known/agent-card.json`, { headers: { 'A2A-Version': '1.0' } });
    expect(response.status).toBe(200);
    const card = await response.json();
    expect(card).toMatchObject({
      name: 'librarian',
      description: spec.description,
      version: expect.any(String),
      capabilities: { streaming: true },
      defaultInputModes: ['text/plain', 'application/json'],
      defaultOutputModes: ['text/plain', 'application/json'],
      supportedInterfaces: [
        { url: `${baseUrl}/`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
        { url: `${baseUrl}/`, protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
      ],
      securitySchemes: { aetherServiceToken: { httpAuthSecurityScheme: { scheme: 'Bearer' } } },
      securityRequirements: [{ schemes: { aetherServiceToken: {} } }],
      skills: [{ id: 'discover', name: 'Discover', tags: ['discovery'], examples: ['What lights do I have?'] }],
    });
  });

  it('serves the v0.3 card to callers that send no A2A-Version', async () => {
    const card = await (await fetch(`${baseUrl}/.well-known/agent-card.json`)).json();
    expect(card).toMatchObject({ name: 'librarian', url: `${baseUrl}/`, protocolVersion: '0.3', capabilities: { streaming: true } });
  });

  it('streams tokens to the SDK client as they are produced (the agent waits until the first one arrived)', async () => {
    const firstTokenReceived = new Deferred();
    agent.script = async function* () {
      yield { type: 'token', agent: 'librarian', content: 'Found ' };
      // Only a client that already holds "Found " can release the rest: no hop may buffer.
      await firstTokenReceived.promise;
      yield { type: 'tool_end', agent: 'librarian', tool: 'list_entities', result: '3 lights' };
      yield { type: 'token', agent: 'librarian', content: '3 lights' };
    };

    const decoder = new AgentEventDecoder('librarian');
    const events: AgentEvent[] = [];
    for await (const response of sdkClient.sendMessageStream(encodeAgentRequest(request('lights?')), { serviceParameters: AUTH })) {
      for (const event of decoder.decode(response)) {
        events.push(event);
        if (event.type === 'token') firstTokenReceived.resolve();
      }
    }

    expect(events).toEqual([
      { type: 'agent_start', agent: 'librarian' },
      { type: 'token', agent: 'librarian', content: 'Found ' },
      { type: 'tool_end', agent: 'librarian', tool: 'list_entities', result: '3 lights' },
      { type: 'token', agent: 'librarian', content: '3 lights' },
      { type: 'agent_end', agent: 'librarian' },
    ]);
    expect(decoder.completed).toBe(true);
    expect(agent.requests[0]).toMatchObject({ message: 'lights?', context: { conversationId: 'conv-1', userId: 'alice' } });
  });

  it('answers SendStreamingMessage with unbuffered SSE', async () => {
    agent.script = async function* () {
      yield { type: 'token', agent: 'librarian', content: 'ok' };
    };
    const response = await fetch(`${baseUrl}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'A2A-Version': '1.0', ...AUTH },
      body: rpc('SendStreamingMessage', { message: { messageId: 'm-sse', role: 'ROLE_USER', parts: [{ text: 'hi' }] } }, 'req-1'),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const frames = (await response.text()).split('\n\n').filter(Boolean).map((frame) => JSON.parse(frame.replace(/^data: /, '')));
    expect(frames.map((frame) => Object.keys(frame.result)[0])).toEqual(['task', 'artifactUpdate', 'statusUpdate']);
    expect(frames.every((frame) => frame.id === 'req-1')).toBe(true);
    expect(frames[1].result.artifactUpdate.artifact).toMatchObject({ artifactId: 'answer', parts: [{ text: 'ok' }] });
    expect(frames[2].result.statusUpdate.status.state).toBe('TASK_STATE_COMPLETED');
  });

  it('sends the tokens of one tick as one SSE frame, and the frames of one tick as one socket write', async () => {
    agent.script = async function* () {
      for (let i = 0; i < 20; i++) yield { type: 'token', agent: 'librarian', content: `t${i} ` };
    };
    const writes: number[] = [];
    const server = app.getHttpServer() as Server;
    const count = (socket: Socket) => {
      const raw = socket as unknown as { _write: (...args: unknown[]) => void; _writev: (chunks: unknown[], ...rest: unknown[]) => void };
      const write = raw._write.bind(socket);
      const writev = raw._writev.bind(socket);
      raw._write = (...args: unknown[]) => (writes.push(1), write(...args));
      raw._writev = (chunks: unknown[], ...rest: unknown[]) => (writes.push(chunks.length), writev(chunks, ...rest));
    };
    server.on('connection', count);
    try {
      const body = rpc('SendStreamingMessage', { message: { messageId: 'm-tick', role: 'ROLE_USER', parts: [{ text: 'hi' }] } });
      const text = await new Promise<string>((resolve, reject) => {
        const req = httpRequest(
          `${baseUrl}/`,
          { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', 'A2A-Version': '1.0', ...AUTH } },
          (res) => {
            let data = '';
            res.setEncoding('utf8').on('data', (chunk: string) => (data += chunk)).on('end', () => resolve(data)).on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      const frames = text.split('\n\n').filter(Boolean).map((frame) => JSON.parse(frame.replace(/^data: /, '')));
      expect(frames.map((frame) => Object.keys(frame.result)[0])).toEqual(['task', 'artifactUpdate', 'statusUpdate']);
      expect(frames[1].result.artifactUpdate.artifact.parts.map((part: { text: string }) => part.text)).toEqual(
        Array.from({ length: 20 }, (_, i) => `t${i} `),
      );
      // Headers, the three frames and the end of the chunked body: one write.
      expect(writes).toHaveLength(1);
    } finally {
      server.off('connection', count);
    }
  });

  it('sends the events of one tick in order as one frame per run of tokens or of other events, and the caller decodes the same events', async () => {
    const produced: AgentEvent[] = [
      { type: 'tool_start', agent: 'librarian', tool: 'list_entities', args: '{}' },
      { type: 'tool_end', agent: 'librarian', tool: 'list_entities', result: '2 lights' },
      { type: 'token', agent: 'librarian', content: 'Two ' },
      { type: 'token', agent: 'librarian', content: 'lights.' },
      { type: 'status', agent: 'librarian', content: 'done' },
    ];
    agent.script = async function* () {
      yield* produced;
    };
    const response = await fetch(`${baseUrl}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'A2A-Version': '1.0', ...AUTH },
      body: rpc('SendStreamingMessage', { message: { messageId: 'm-events-tick', role: 'ROLE_USER', parts: [{ text: 'hi' }] } }),
    });
    const frames = (await response.text()).split('\n\n').filter(Boolean).map((frame) => JSON.parse(frame.replace(/^data: /, '')));
    const updates = frames.filter((frame) => frame.result.artifactUpdate).map((frame) => frame.result.artifactUpdate.artifact);
    expect(updates.map((artifact: { artifactId: string; parts: unknown[] }) => [artifact.artifactId, artifact.parts.length])).toEqual([
      ['events', 2],
      ['answer', 2],
      ['events', 1],
    ]);

    const decoder = new AgentEventDecoder('librarian');
    const decoded: AgentEvent[] = [];
    for await (const event of sdkClient.sendMessageStream(encodeAgentRequest(request('lights?')), { serviceParameters: AUTH })) {
      decoded.push(...decoder.decode(event));
    }
    expect(decoded.filter((event) => event.type !== 'agent_start' && event.type !== 'agent_end')).toEqual(produced);
  });

  it('answers v1.0 SendMessage with the completed task, and GetTask returns the full answer afterwards', async () => {
    agent.script = async function* () {
      yield { type: 'token', agent: 'librarian', content: 'Kitchen, ' };
      yield { type: 'token', agent: 'librarian', content: 'hall.' };
    };
    const result = await sdkClient.sendMessage(encodeAgentRequest(request('rooms?')), { serviceParameters: AUTH });
    expect('id' in result).toBe(true);
    const taskId = (result as { id: string }).id;

    const task = await sdkClient.getTask({ id: taskId, tenant: '', historyLength: undefined }, { serviceParameters: AUTH });
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const answer = task.artifacts.find((artifact) => artifact.artifactId === 'answer');
    const text = answer?.parts.map((part) => (part.content?.$case === 'text' ? part.content.value : '')).join('');
    expect(text).toBe('Kitchen, hall.');
  });

  it('accepts v0.3 message/send from a plain fetch', async () => {
    agent.script = async function* () {
      yield { type: 'token', agent: 'librarian', content: 'ok' };
    };
    const response = await fetch(`${baseUrl}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...AUTH },
      body: rpc('message/send', {
        message: { kind: 'message', messageId: 'legacy-1', role: 'user', parts: [{ kind: 'text', text: 'hello from 0.3' }] },
      }),
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.error).toBeUndefined();
    expect(body.result).toMatchObject({ kind: 'task', status: { state: 'completed' } });
    expect(body.result.artifacts[0].parts[0]).toEqual({ kind: 'text', text: 'ok' });
    expect(agent.requests[0]).toMatchObject({ message: 'hello from 0.3', history: [], context: { userId: 'anonymous' } });
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { Authorization: 'Bearer not-the-token' }],
  ])('rejects a call with %s: 401, a JSON-RPC error body, and the agent never runs', async (_label, headers: Record<string, string>) => {
    const response = await fetch(`${baseUrl}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'A2A-Version': '1.0', ...headers },
      body: rpc('SendMessage', { message: { messageId: 'm', role: 'ROLE_USER', parts: [{ text: 'hi' }] } }, 9),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ jsonrpc: '2.0', id: 9, error: { code: -32000, message: expect.any(String) } });
    expect(agent.requests).toHaveLength(0);
  });

  it('answers malformed JSON with a parse error and an oversized body with 413', async () => {
    const malformed = await fetch(`${baseUrl}/`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...AUTH }, body: '{"jsonrpc":' });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe(-32700);

    const huge = await fetch(`${baseUrl}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...AUTH },
      body: rpc('SendMessage', { message: { messageId: 'm', role: 'ROLE_USER', parts: [{ text: 'x'.repeat(1024 * 1024 + 1) }] } }),
    });
    expect(huge.status).toBe(413);
    expect((await huge.json()).jsonrpc).toBe('2.0');
    expect(agent.requests).toHaveLength(0);
  });

  it('answers an oversize Content-Length with a JSON-RPC 413 at once, without waiting for the body', async () => {
    const started = Date.now();
    const { status, connection, body } = await new Promise<{ status: number; connection?: string; body: string }>((resolve, reject) => {
      const req = httpRequest(`${baseUrl}/`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': '2000000', ...AUTH },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text });
          req.destroy(); // the announced body never comes
        });
      });
      req.on('error', reject);
      // 12 bytes of the announced 2 000 000, and the request is never ended.
      req.write('{"jsonrpc":"');
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(status).toBe(413);
    // Kept open while the rest of the body arrives (see refuseOversizeBody); only a far larger one closes.
    expect(connection).not.toBe('close');
    expect(JSON.parse(body)).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.stringContaining('exceeds') } });
    expect(agent.requests).toHaveLength(0);
  });

  it('cancels a running task on CancelTask: the agent sees its signal abort and the stream ends CANCELED', async () => {
    const aborted = new Deferred<unknown>();
    agent.script = async function* (_request, signal) {
      yield { type: 'status', agent: 'librarian', content: 'scanning' };
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted.resolve(signal.reason);
    };

    const states: TaskState[] = [];
    let taskId = '';
    let cancelled: Promise<unknown> | undefined;
    for await (const response of sdkClient.sendMessageStream(encodeAgentRequest(request('scan')), { serviceParameters: AUTH })) {
      const payload = (response as StreamResponse).payload;
      if (payload?.$case === 'task') taskId = payload.value.id;
      if (payload?.$case === 'statusUpdate' && payload.value.status) states.push(payload.value.status.state);
      if (payload?.$case === 'artifactUpdate' && !cancelled) {
        cancelled = sdkClient.cancelTask({ id: taskId, tenant: '', metadata: undefined }, { serviceParameters: AUTH });
      }
    }

    expect(await aborted.promise).toMatchObject({ code: 'cancelled' });
    expect(((await cancelled) as { status: { state: TaskState } }).status.state).toBe(TaskState.TASK_STATE_CANCELED);
    expect(states).toEqual([TaskState.TASK_STATE_CANCELED]);
  });

  it('cancels the task when the caller disconnects mid-stream', async () => {
    const aborted = new Deferred();
    agent.script = async function* (_request, signal) {
      yield { type: 'token', agent: 'librarian', content: 'partial' };
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted.resolve();
    };
    const connection = new AbortController();
    const decoder = new AgentEventDecoder('librarian');
    const stream = sdkClient.sendMessageStream(encodeAgentRequest(request('long job')), { serviceParameters: AUTH, signal: connection.signal });
    await expect(
      (async () => {
        for await (const response of stream) {
          if (decoder.decode(response).length > 0) connection.abort();
        }
      })(),
    ).rejects.toThrow();

    await aborted.promise;
    expect(decoder.taskId).toBeDefined();
    const task = await sdkClient.getTask({ id: decoder.taskId ?? '', tenant: '', historyLength: 0 }, { serviceParameters: AUTH });
    expect(task.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
  });

  it('is called through HttpAgentClient: events stream, results aggregate, error codes survive', async () => {
    agent.script = async function* () {
      yield { type: 'token', agent: 'librarian', content: 'Three ' };
      yield { type: 'result', agent: 'librarian', data: { count: 3 } };
      yield { type: 'token', agent: 'librarian', content: 'lights' };
    };
    const client = new HttpAgentClient({ agent: 'librarian', baseUrl, serviceToken: TOKEN });
    const result = await client.send({ ...request('count'), history: [{ role: 'user', content: 'earlier' }], data: { area: 'kitchen' } });
    expect(result).toMatchObject({ text: 'Three lights', data: { count: 3 }, events: [
        { type: 'agent_start', agent: 'librarian' },
        { type: 'result', agent: 'librarian', data: { count: 3 } },
        { type: 'agent_end', agent: 'librarian' },
      ],
    });
    expect(result.taskId).toMatch(/[0-9a-f-]{36}/);
    expect(agent.requests[0]).toMatchObject({ history: [{ role: 'user', content: 'earlier' }], data: { area: 'kitchen' } });

    agent.script = async function* () {
      yield { type: 'token', agent: 'librarian', content: 'partial' };
      throw new AgentError('upstream_error', 'Home Assistant timed out after 30000 ms');
    };
    await expect(collect(client.stream(request('again')))).rejects.toMatchObject({
      name: 'AgentError',
      code: 'upstream_error',
      agent: 'librarian',
      message: 'Home Assistant timed out after 30000 ms',
    });
  });

  it('runs the task in an invoke_agent span that continues the caller\'s trace (W3C trace context over HTTP)', async () => {
    const recorded = recordSpans();
    try {
      agent.script = async function* () {
        await inSpan('lookup', {}, async () => undefined);
        yield { type: 'token', agent: 'librarian', content: 'ok' };
      };
      const client = new HttpAgentClient({ agent: 'librarian', baseUrl, serviceToken: TOKEN });
      const callerSpan = await inSpan('caller', {}, async (span) => {
        await client.send(request('lights?'));
        return span.spanContext();
      });
      const invoke = recorded.spans().find((span) => span.name === 'invoke_agent librarian');
      expect(invoke?.spanContext().traceId).toBe(callerSpan.traceId);
      expect(invoke?.parentSpanContext?.spanId).toBe(callerSpan.spanId);
      expect(invoke?.attributes).toMatchObject({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'librarian', 'gen_ai.conversation.id': 'conv-1' });
      // What the agent does while it runs is a child of its task's span.
      expect(recorded.spans().find((span) => span.name === 'lookup')?.parentSpanContext?.spanId).toBe(invoke?.spanContext().spanId);
    } finally {
      await recorded.stop();
    }
  });

  it('reports a wrong service token and an unreachable service as agent_unavailable', async () => {
    const wrongToken = new HttpAgentClient({ agent: 'librarian', baseUrl, serviceToken: 'nope' });
    await expect(wrongToken.send(request('hi'))).rejects.toMatchObject({
      code: 'agent_unavailable',
      message: expect.stringContaining('rejected the service token (check AETHER_SERVICE_TOKEN)'),
    });
    expect(agent.requests).toHaveLength(0);

    // A port nothing listens on: bind one, then close it.
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const nowhere = new HttpAgentClient({ agent: 'librarian', baseUrl: `http://127.0.0.1:${port}`, serviceToken: TOKEN });
    await expect(nowhere.send(request('hi'))).rejects.toMatchObject({
      code: 'agent_unavailable',
      message: expect.stringMatching(new RegExp(`librarian agent service at http://127.0.0.1:${port} is unreachable: .*ECONNREFUSED`)),
    });
  });

  it('reports liveness, and readiness from the background probes of every registered check (503 with details when one fails)', async () => {
    const monitor = app.get(ReadinessMonitor).dependencies;
    await monitor.checked();
    const health = await fetch(`${baseUrl}/health`);
    expect(health.status).toBe(200);
    // What the checks know from memory rides along in liveness, for callers (the gateway's health) to read.
    const live = await health.json();
    expect(live).toMatchObject({ status: 'ok' });
    expect(readServiceHealthDetails(live, 'librarian')).toEqual({ homeAssistantAccess: { admin: false, limitations: ['config APIs unavailable'] } });

    const ready = await fetch(`${baseUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', details: { librarian: { status: 'up' }, 'home-assistant': { status: 'up' } } });

    readiness.homeAssistantUp = false;
    // Not probed per request: still ready until the next background probe.
    expect((await fetch(`${baseUrl}/ready`)).status).toBe(200);
    await monitor.probeAll();
    const notReady = await fetch(`${baseUrl}/ready`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({
      status: 'error',
      error: {
        'home-assistant': { status: 'down', message: expect.stringContaining('refused the connection'), last_checked: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
      },
    });

    readiness.homeAssistantUp = true;
    await monitor.probeAll();
    expect((await fetch(`${baseUrl}/ready`)).status).toBe(200);
  });

  it('answers /ready with 503 once its gate is closed (draining), while /health stays 200', async () => {
    shutdown.beginDrain();
    const notReady = await fetch(`${baseUrl}/ready`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ error: { accepting: { status: 'down', message: 'draining' } } });
    expect((await fetch(`${baseUrl}/health`)).status).toBe(200);
  });
});
