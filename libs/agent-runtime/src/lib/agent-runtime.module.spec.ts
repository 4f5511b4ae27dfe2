import { createServer, type Server } from 'node:http';
import { TaskState } from '@a2a-js/sdk';
import { ClientFactory } from '@a2a-js/sdk/client';
import { Injectable, Module, type INestApplication, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { A2aServerModule, AetherAgent, HttpAgentClient } from '@aether/a2a';
import { AetherConfigModule, ConfigError, loadConfig } from '@aether/config';
import {
  AGENT_NAMES,
  AGENT_URL_ENV,
  AgentError,
  reportModelUsage,
  type Agent,
  type AgentClient,
  type AgentEvent,
  type AgentName,
  type AgentRequest,
} from '@aether/core';
import { AgentDirectory } from './agent-directory.service';
import { AgentRuntimeModule } from './agent-runtime.module';
import { MetricsModule, MetricsRegistry } from '@aether/observability';
import { InjectAgent, agentClientToken } from './inject-agent.decorator';

const TOKEN = 'runtime-test-token';

class Deferred<T = void> {
  resolve!: (value: T) => void;
  readonly promise = new Promise<T>((resolve) => (this.resolve = resolve));
}

function request(message: string, data?: Record<string, unknown>): AgentRequest {
  return { message, history: [{ role: 'user', content: 'earlier' }], data, context: { conversationId: 'conv-7', userId: 'bob', model: 'aether-offline' } };
}

async function collect(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const seen: AgentEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

/** The analysts: streams an answer with progress, a structured result and an event relayed "from below". */
@AetherAgent({ name: 'ds-analysts', card: { name: 'ds-analysts', description: 'Energy, behaviour and diagnostics analysts', skills: [] } })
class AnalystsAgent implements Agent {
  readonly name = 'ds-analysts' as const;
  /** When set, the run stops after its first token until its signal aborts. */
  hangAfterFirstToken = false;
  /** When set, the run makes a "model call" that reports this usage the way the model factory's callback does. */
  modelUsage?: { promptTokens: number; completionTokens: number; reasoningTokens: number; cachedTokens: number };
  readonly aborted: Deferred[] = [];

  async *run(req: AgentRequest, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    yield { type: 'status', agent: 'ds-analysts', content: `Analysing for ${req.context.userId}` };
    yield { type: 'tool_start', agent: 'ds-analysts', tool: 'energy_history', args: JSON.stringify(req.data ?? {}) };
    yield { type: 'token', agent: 'ds-analysts', content: 'You used ' };
    if (this.hangAfterFirstToken) {
      const aborted = new Deferred();
      this.aborted.push(aborted);
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted.resolve();
      return;
    }
    yield { type: 'tool_end', agent: 'ds-analysts', tool: 'energy_history', result: '24 rows' };
    if (this.modelUsage) {
      // As a model's callback reports after the response arrived: later in the same step, after an await.
      await new Promise<void>((resolve) => setImmediate(resolve));
      reportModelUsage({ type: 'usage', agent: 'ds-analysts', model: 'fake-reasoner', ...this.modelUsage });
    }
    yield { type: 'result', agent: 'ds-analysts', data: { kwh: 12.5, model: req.context.model ?? null } };
    yield { type: 'token', agent: 'ds-analysts', content: '12.5 kWh' };
  }
}

function analystsModule(agent: AnalystsAgent) {
  @Module({
    providers: [
      { provide: AnalystsAgent, useValue: agent },
    ],
  })
  class AnalystsModule {}
  return AnalystsModule;
}

/** Every agent URL variable, pointing at `url` (distributed mode needs them all). */
function allAgentUrls(url: string, except?: AgentName): Record<string, string> {
  return Object.fromEntries(AGENT_NAMES.filter((name) => name !== except).map((name) => [AGENT_URL_ENV[name], url]));
}

/** A monolith process that also serves ds-analysts over A2A (as `apps/ds-analysts` would). */
async function startAnalystsService(agent: AnalystsAgent): Promise<{ app: INestApplication; url: string }> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      AetherConfigModule.forRoot(loadConfig({ NODE_ENV: 'test', AETHER_SERVICE_TOKEN: TOKEN })),
      AgentRuntimeModule.forRoot({ self: 'ds-analysts' }),
      analystsModule(agent),
      A2aServerModule.forAgent('ds-analysts'),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: false, forceCloseConnections: true });
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

async function directoryFor(env: Record<string, string>, imports: unknown[] = [], providers: Provider[] = []) {
  const moduleRef = await Test.createTestingModule({
    imports: [AetherConfigModule.forRoot(loadConfig({ NODE_ENV: 'test', AETHER_SERVICE_TOKEN: TOKEN, ...env })), AgentRuntimeModule.forRoot(), ...(imports as [])],
    providers,
  }).compile();
  return { moduleRef, directory: moduleRef.get(AgentDirectory) };
}

describe('AgentRuntimeModule', () => {
  describe('with a real ds-analysts service on loopback', () => {
    const agent = new AnalystsAgent();
    let service: { app: INestApplication; url: string };

    beforeAll(async () => {
      service = await startAnalystsService(agent);
    });
    afterAll(async () => {
      await service?.app.close();
    });
    beforeEach(() => {
      agent.hangAfterFirstToken = false;
      agent.modelUsage = undefined;
    });

    it("carries a model call's usage to the caller as a usage event, the same in-process and over A2A HTTP", async () => {
      agent.modelUsage = { promptTokens: 1200, completionTokens: 340, reasoningTokens: 256, cachedTokens: 1024 };
      const { directory: caller } = await directoryFor({ DEPLOYMENT_MODE: 'selective', REMOTE_AGENTS: 'ds-analysts', DS_ANALYSTS_URL: service.url });
      const req = request('Analyze my energy usage', { hours: 24 });
      const local = await collect(service.app.get(AgentDirectory).client('ds-analysts').stream(req));
      const remote = await collect(caller.client('ds-analysts').stream(req));
      const usage = { type: 'usage', agent: 'ds-analysts', model: 'fake-reasoner', promptTokens: 1200, completionTokens: 340, reasoningTokens: 256, cachedTokens: 1024 };
      expect(local.filter((event) => event.type === 'usage')).toEqual([usage]);
      expect(remote).toEqual(local);
      // Never part of the answer text.
      const sent = await caller.client('ds-analysts').send(req);
      expect(sent.text).toBe('You used 12.5 kWh');
      expect(sent.events).toContainEqual(usage);
    });

    it('gives the same events in-process (monolith) as over A2A HTTP (selective), nested origins intact', async () => {
      const inProcess = service.app.get(AgentDirectory).client('ds-analysts');
      expect(service.app.get(AgentDirectory).isRemote('ds-analysts')).toBe(false);

      const { directory: caller } = await directoryFor({ DEPLOYMENT_MODE: 'selective', REMOTE_AGENTS: 'ds-analysts', DS_ANALYSTS_URL: service.url });
      const overHttp = caller.client('ds-analysts');
      expect(caller.isRemote('ds-analysts')).toBe(true);
      expect(overHttp).toBeInstanceOf(HttpAgentClient);

      const req = request('Analyze my energy usage', { hours: 24 });
      const local = await collect(inProcess.stream(req));
      const remote = await collect(overHttp.stream(req));
      expect(remote).toEqual(local);
      // agent_start/agent_end are derived by the client from the task lifecycle, the same way in both modes.
      expect(local.map((event) => event.type)).toEqual(['agent_start', 'status', 'tool_start', 'token', 'tool_end', 'result', 'token', 'agent_end']);
      expect(local[5]).toEqual({ type: 'result', agent: 'ds-analysts', data: { kwh: 12.5, model: 'aether-offline' } });
      expect(local[2]).toMatchObject({ args: '{"hours":24}' });
    });

    it('runs in-process calls through the same request handler the service exposes (same task store)', async () => {
      const result = await service.app.get(AgentDirectory).client('ds-analysts').send(request('again'));
      expect(result.text).toBe('You used 12.5 kWh');
      expect(result.data).toEqual({ kwh: 12.5, model: 'aether-offline' });
      expect(result.events.map((event) => event.type)).toEqual(['agent_start', 'status', 'tool_start', 'tool_end', 'result', 'agent_end']);

      const sdk = await new ClientFactory().createFromUrl(service.url);
      const task = await sdk.getTask({ id: result.taskId, tenant: '', historyLength: undefined }, { serviceParameters: { Authorization: `Bearer ${TOKEN}` } });
      expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      expect(task.contextId).toBe('conv-7');
    });

    it('cancels the callee task when the caller aborts, in-process and over HTTP', async () => {
      agent.hangAfterFirstToken = true;
      const { directory: caller } = await directoryFor({ DEPLOYMENT_MODE: 'selective', REMOTE_AGENTS: 'ds-analysts', DS_ANALYSTS_URL: service.url });
      for (const client of [service.app.get(AgentDirectory).client('ds-analysts'), caller.client('ds-analysts')]) {
        const abort = new AbortController();
        const before = agent.aborted.length;
        const consumed = (async () => {
          for await (const event of client.stream(request('slow'), { signal: abort.signal })) {
            if (event.type === 'token') abort.abort();
          }
        })();
        await expect(consumed).rejects.toMatchObject({ name: 'AgentError', code: 'cancelled' });
        expect(agent.aborted.length).toBe(before + 1);
        await agent.aborted[before].promise;
      }
    });

    it('probes a remote agent over /health and a local one by its registration', async () => {
      const { directory } = await directoryFor({ DEPLOYMENT_MODE: 'selective', REMOTE_AGENTS: 'ds-analysts,developer', DS_ANALYSTS_URL: service.url, DEVELOPER_SERVICE_URL: 'http://127.0.0.1:9' });
      const up = await directory.probe('ds-analysts');
      expect(up.reachable).toBe(true);
      expect(up.latencyMs).toBeGreaterThanOrEqual(0);
      expect(await directory.probe('developer')).toMatchObject({ reachable: false, error: expect.stringContaining('http://127.0.0.1:9/health') });
      expect(await directory.probe('librarian')).toMatchObject({ reachable: false, error: expect.stringContaining('not loaded') });
      expect(await service.app.get(AgentDirectory).probe('ds-analysts')).toEqual({ reachable: true });
    });
  });

  it('records every agent call (by transport, method, outcome), every agent run and every tool call its agent made, in /metrics', async () => {
    const agent = new AnalystsAgent();
    const moduleRef = await Test.createTestingModule({
      imports: [
        AetherConfigModule.forRoot(loadConfig({ NODE_ENV: 'test', AETHER_SERVICE_TOKEN: TOKEN })),
        MetricsModule.forRoot({ service: 'metrics-test' }),
        AgentRuntimeModule.forRoot({ self: 'ds-analysts' }),
        analystsModule(agent),
        A2aServerModule.forAgent('ds-analysts'),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ bodyParser: false, logger: false, forceCloseConnections: true });
    await app.listen(0, '127.0.0.1');
    try {
      const client = app.get(AgentDirectory).client('ds-analysts');
      await collect(client.stream(request('Analyze', { hours: 24 })));
      await client.send(request('Analyze', { hours: 24 }));
      agent.hangAfterFirstToken = true;
      const stopped = client.stream(request('Analyze'))[Symbol.asyncIterator]();
      await stopped.next();
      await stopped.return?.();
      const text = await app.get(MetricsRegistry).registry.metrics();
      // The value of the series with these labels (in any order; the service label is added).
      const line = (name: string, labels: string) => text.split('\n').find((l) => l.startsWith(`${name}{`) && labels.split(',').every((label) => l.includes(label)))?.split(' ').at(-1);
      expect(line('aether_agent_call_duration_seconds_count', 'agent="ds-analysts",transport="in_process",method="stream",outcome="ok"')).toBe('1');
      expect(line('aether_agent_call_duration_seconds_count', 'agent="ds-analysts",transport="in_process",method="send",outcome="ok"')).toBe('1');
      expect(line('aether_agent_call_duration_seconds_count', 'agent="ds-analysts",transport="in_process",method="stream",outcome="stopped"')).toBe('1');
      expect(line('aether_agent_run_duration_seconds_count', 'agent="ds-analysts",outcome="ok"')).toBe('2');
      expect(line('aether_tool_calls_total', 'agent="ds-analysts",tool="energy_history",outcome="ok"')).toBe('2');
    } finally {
      await app.close();
    }
  });

  it('fails start-up in distributed mode when an agent URL is missing, naming the variable', async () => {
    const compiling = Test.createTestingModule({
      imports: [
        AetherConfigModule.forRoot(loadConfig({ NODE_ENV: 'test', DEPLOYMENT_MODE: 'distributed', ...allAgentUrls('http://127.0.0.1:9', 'ds-analysts') })),
        AgentRuntimeModule.forRoot({ self: 'architect' }),
      ],
    }).compile();
    await expect(compiling).rejects.toThrow(ConfigError);
    await expect(compiling).rejects.toThrow(/^DS_ANALYSTS_URL: DEPLOYMENT_MODE=distributed calls the ds-analysts agent remotely/);

    // The same through a real Nest bootstrap: the ConfigError itself reaches the caller of create().
    @Module({
      imports: [
        AetherConfigModule.forRoot(loadConfig({ NODE_ENV: 'test', DEPLOYMENT_MODE: 'selective', REMOTE_AGENTS: 'librarian' })),
        AgentRuntimeModule.forRoot(),
      ],
    })
    class ServiceModule {}
    await expect(NestFactory.createApplicationContext(ServiceModule, { abortOnError: false, logger: false })).rejects.toMatchObject({
      name: 'ConfigError',
      variable: 'LIBRARIAN_SERVICE_URL',
    });
  });

  it('does not require the URL of the agent the process itself serves', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AetherConfigModule.forRoot(loadConfig({ NODE_ENV: 'test', DEPLOYMENT_MODE: 'distributed', ...allAgentUrls('http://127.0.0.1:9', 'architect') })),
        AgentRuntimeModule.forRoot({ self: 'architect' }),
      ],
    }).compile();
    const directory = moduleRef.get(AgentDirectory);
    expect(directory.describe().agents.filter((agent) => agent.location === 'local').map((agent) => agent.name)).toEqual(['architect']);
    expect(directory.client('ds-analysts')).toBeInstanceOf(HttpAgentClient);
  });

  it('calls only the listed agents remotely in selective mode', async () => {
    const { directory } = await directoryFor({
      DEPLOYMENT_MODE: 'selective',
      REMOTE_AGENTS: 'librarian,developer',
      LIBRARIAN_SERVICE_URL: 'http://127.0.0.1:8005',
      DEVELOPER_SERVICE_URL: 'http://127.0.0.1:8004',
    });
    expect(directory.describe()).toEqual({
      mode: 'selective',
      self: undefined,
      agents: AGENT_NAMES.map((name) => ({
        name,
        location: name === 'librarian' || name === 'developer' ? 'remote' : 'local',
        url: name === 'librarian' ? 'http://127.0.0.1:8005' : name === 'developer' ? 'http://127.0.0.1:8004' : undefined,
      })),
    });
    expect(directory.client('librarian')).toBeInstanceOf(HttpAgentClient);
    expect(directory.client('architect')).not.toBeInstanceOf(HttpAgentClient);
  });

  it('lets agents inject each other lazily and relays nested events with their origin (monolith)', async () => {
    @Injectable()
    @AetherAgent({ name: 'architect', card: { name: 'architect', description: 'test', skills: [] } })
    class Architect implements Agent {
      readonly name = 'architect' as const;
      constructor(@InjectAgent('ds-orchestrator') private readonly dsOrchestrator: AgentClient) {}
      async *run(req: AgentRequest, signal: AbortSignal): AsyncGenerator<AgentEvent> {
        yield { type: 'delegation', agent: 'architect', target: 'ds-orchestrator', content: 'energy analysis' };
        for await (const event of this.dsOrchestrator.stream({ ...req, message: 'energy' }, { signal })) yield event;
        yield { type: 'token', agent: 'architect', content: ' (done)' };
      }
    }
    @Injectable()
    @AetherAgent({ name: 'ds-orchestrator', card: { name: 'ds-orchestrator', description: 'test', skills: [] } })
    class DsOrchestrator implements Agent {
      readonly name = 'ds-orchestrator' as const;
      // Injects the architect too: the cycle is harmless because clients resolve agents lazily.
      constructor(@InjectAgent('architect') readonly architect: AgentClient) {}
      async *run(): AsyncGenerator<AgentEvent> {
        yield { type: 'status', agent: 'ds-orchestrator', content: 'asking the analysts' };
        yield { type: 'token', agent: 'ds-orchestrator', content: 'Energy is fine' };
      }
    }
    @Module({
      providers: [
        Architect,
        DsOrchestrator,
      ],
    })
    class AgentsModule {}

    @Injectable()
    class Gateway {
      constructor(@InjectAgent('architect') readonly architect: AgentClient) {}
    }

    const { moduleRef } = await directoryFor({}, [AgentsModule], [Gateway]);
    const architect = moduleRef.get(Gateway).architect;
    expect(architect).toBe(moduleRef.get(agentClientToken('architect')));
    expect(await collect(architect.stream(request('how is my energy?')))).toEqual([
      { type: 'agent_start', agent: 'architect' },
      { type: 'delegation', agent: 'architect', target: 'ds-orchestrator', content: 'energy analysis' },
      { type: 'agent_start', agent: 'ds-orchestrator' },
      { type: 'status', agent: 'ds-orchestrator', content: 'asking the analysts' },
      { type: 'token', agent: 'ds-orchestrator', content: 'Energy is fine' },
      { type: 'agent_end', agent: 'ds-orchestrator' },
      { type: 'token', agent: 'architect', content: ' (done)' },
      { type: 'agent_end', agent: 'architect' },
    ]);
  });

  it('reports a local agent whose module is not loaded as agent_unavailable', async () => {
    const { directory } = await directoryFor({});
    const failure = directory.client('developer').send(request('deploy'));
    await expect(failure).rejects.toBeInstanceOf(AgentError);
    await expect(failure).rejects.toMatchObject({ code: 'agent_unavailable', message: expect.stringContaining('The developer agent is not loaded in this process') });
  });

  it('fails a remote call promptly with connection_reset (not retried) when the service dies mid-stream', async () => {
    const agent = new AnalystsAgent();
    agent.hangAfterFirstToken = true;
    const service = await startAnalystsService(agent);
    const { directory } = await directoryFor({ DEPLOYMENT_MODE: 'selective', REMOTE_AGENTS: 'ds-analysts', DS_ANALYSTS_URL: service.url });
    const server = service.app.getHttpServer() as Server;

    let killedAt = 0;
    const consumed = (async () => {
      for await (const event of directory.client('ds-analysts').stream(request('slow'))) {
        if (event.type === 'token') {
          killedAt = performance.now();
          server.closeAllConnections();
          server.close();
        }
      }
    })();
    await expect(consumed).rejects.toMatchObject({
      name: 'AgentError',
      code: 'connection_reset',
      message: expect.stringContaining('The connection to the ds-analysts agent broke after its task started'),
    });
    expect(performance.now() - killedAt).toBeLessThan(1_000);
    await service.app.close();
  });

  it('treats a stream that ends without a terminal state as agent_unavailable', async () => {
    // A server that speaks SSE but hangs up after the task event, as a crashing proxy might.
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const { id } = JSON.parse(body);
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.end(`data: ${JSON.stringify({ jsonrpc: '2.0', id, result: { task: { id: 't-9', contextId: 'c', status: { state: 'TASK_STATE_WORKING' } } } })}\n\n`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const client = new HttpAgentClient({ agent: 'librarian', baseUrl: `http://127.0.0.1:${port}`, serviceToken: TOKEN });
      await expect(client.send(request('x'))).rejects.toMatchObject({ code: 'agent_unavailable', message: expect.stringContaining('ended before its task finished') });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
