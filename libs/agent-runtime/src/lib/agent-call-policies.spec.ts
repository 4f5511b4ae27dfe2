import { spawn } from 'node:child_process';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { ClientFactory } from '@a2a-js/sdk/client';
import { Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { A2aServerModule, AetherAgent, DEADLINE_EXCEEDED_REASON, DUPLICATE_MESSAGE_REASON, encodeAgentRequest } from '@aether/a2a';
import { startFaultProxy, type FaultProxy } from '@aether/a2a/testing';
import { AetherConfigModule, loadConfig } from '@aether/config';
import { type Agent, type AgentEvent, type AgentRequest } from '@aether/core';
import { MetricsModule, MetricsRegistry } from '@aether/observability';
import { AgentDirectory } from './agent-directory.service';
import { AgentRuntimeModule } from './agent-runtime.module';

const TOKEN = 'policy-test-token';
const AUTH = { Authorization: `Bearer ${TOKEN}` };

class Deferred<T = void> {
  resolve!: (value: T) => void;
  readonly promise = new Promise<T>((resolve) => (this.resolve = resolve));
}

type Script = (request: AgentRequest, signal: AbortSignal) => AsyncIterable<AgentEvent>;

const answer: Script = async function* () {
  yield { type: 'status', agent: 'ds-analysts', content: 'working' };
  yield { type: 'token', agent: 'ds-analysts', content: '12.5 kWh' };
};

/** The analysts, scripted per test; every run is recorded (the proof of how often work ran). */
@AetherAgent({ name: 'ds-analysts', card: { name: 'ds-analysts', description: 'test analysts', skills: [] } })
class ScriptedAnalysts implements Agent {
  readonly name = 'ds-analysts' as const;
  readonly runs: AgentRequest[] = [];
  readonly aborted: unknown[] = [];
  script: Script = answer;

  run(request: AgentRequest, signal: AbortSignal): AsyncIterable<AgentEvent> {
    this.runs.push(request);
    signal.addEventListener('abort', () => this.aborted.push(signal.reason), { once: true });
    return this.script(request, signal);
  }
}

function request(message: string, deadline?: number): AgentRequest {
  return { message, history: [], context: { conversationId: 'conv-p', userId: 'bob', ...(deadline !== undefined ? { deadline } : {}) } };
}

async function collect(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const seen: AgentEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

const SERVICE_ENV = { NODE_ENV: 'test', AETHER_SERVICE_TOKEN: TOKEN, AETHER_HEARTBEAT_MS: '50' } as const;

async function startService(agent: ScriptedAnalysts): Promise<{ app: INestApplication; port: number }> {
  @Module({ providers: [{ provide: ScriptedAnalysts, useValue: agent }] })
  class AnalystsModule {}
  const moduleRef = await Test.createTestingModule({
    imports: [
      AetherConfigModule.forRoot(loadConfig(SERVICE_ENV)),
      AgentRuntimeModule.forRoot({ self: 'ds-analysts' }),
      AnalystsModule,
      A2aServerModule.forAgent('ds-analysts'),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: false, forceCloseConnections: true });
  await app.listen(0, '127.0.0.1');
  return { app, port: Number(new URL(await app.getUrl()).port) };
}

/** A caller process (its own metrics registry) reaching ds-analysts at `url`. */
async function caller(url: string, env: Record<string, string> = {}) {
  const moduleRef = await Test.createTestingModule({
    imports: [
      AetherConfigModule.forRoot(
        loadConfig({ ...SERVICE_ENV, DEPLOYMENT_MODE: 'selective', REMOTE_AGENTS: 'ds-analysts', DS_ANALYSTS_URL: url, AETHER_AGENT_RETRY_BACKOFF_MS: '10', ...env }),
      ),
      MetricsModule.forRoot({ service: 'caller' }),
      AgentRuntimeModule.forRoot({ calls: ['ds-analysts'] }),
    ],
  }).compile();
  const metrics = moduleRef.get(MetricsRegistry);
  return {
    client: moduleRef.get(AgentDirectory).client('ds-analysts'),
    metric: async (name: string, labels: Record<string, string> = {}) => {
      const values = (await metrics.registry.getSingleMetric(name)?.get())?.values ?? [];
      return values.find((value) => Object.entries(labels).every(([key, label]) => value.labels[key] === label))?.value;
    },
  };
}

/** A TCP server that accepts connections and never answers: a stopped (SIGSTOP) process. */
async function startHungServer(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A port whose connections never open: a stopped (SIGSTOP) process listening with a backlog of 1,
 * its accept queue filled, so the kernel drops every further SYN (a host that vanished mid-route).
 */
async function startUnconnectablePort(): Promise<{ url: string; close: () => void }> {
  // The port is written without console.log: a forced-colour environment (CI) would colour a number.
  const child = spawn(
    process.execPath,
    ['-e', "require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, function () { process.stdout.write(this.address().port + '\\n') })"],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const fillers: Socket[] = [];
  const close = () => {
    for (const socket of fillers) socket.destroy();
    child.kill('SIGKILL');
  };
  try {
    let printed = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        printed += String(chunk);
        const match = /(\d+)\n/.exec(printed);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`the listener exited (${code}) before printing its port: ${printed}`)));
    });
    child.kill('SIGSTOP');
    // Fill the accept queue: connect until one connection no longer opens.
    for (;;) {
      const socket = connect(port, '127.0.0.1');
      fillers.push(socket);
      socket.on('error', () => undefined);
      const opened = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 200);
        socket.once('connect', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (!opened) break;
    }
    return { url: `http://127.0.0.1:${port}`, close };
  } catch (error) {
    close();
    throw error;
  }
}

describe('calls between agents: timeouts, deadline, retry, breaker', () => {
  const agent = new ScriptedAnalysts();
  let service: { app: INestApplication; port: number };
  let proxy: FaultProxy;

  beforeAll(async () => {
    service = await startService(agent);
    proxy = await startFaultProxy(service.port);
  });
  afterAll(async () => {
    await proxy?.close();
    await service?.app.close();
  });
  beforeEach(() => {
    agent.runs.length = 0;
    agent.aborted.length = 0;
    agent.script = answer;
    proxy.setDefault('pass');
  });

  it('retries once on a fresh connection when the connection drops before the first event, and the work runs once', async () => {
    const { client, metric } = await caller(proxy.url);
    const before = proxy.connections;
    proxy.plan('drop-before-request');
    const result = await client.send(request('energy'));
    expect(result.text).toBe('12.5 kWh');
    expect(agent.runs).toHaveLength(1);
    expect(proxy.connections - before).toBe(2);
    expect(await metric('aether_agent_call_retries_total', { agent: 'ds-analysts', reason: 'reset' })).toBe(1);
  });

  it('retries a 503 (a service draining for shutdown) once on a fresh connection, and counts it against the breaker', async () => {
    const { client, metric } = await caller(proxy.url, { AETHER_AGENT_BREAKER_FAILURES: '2' });
    proxy.plan('refuse-503');
    expect((await client.send(request('energy'))).text).toBe('12.5 kWh');
    expect(agent.runs).toHaveLength(1);
    expect(await metric('aether_agent_call_retries_total', { agent: 'ds-analysts', reason: 'unreachable' })).toBe(1);

    // A call whose retry is refused too fails; two such calls in a row open the breaker.
    proxy.plan('refuse-503', 'refuse-503', 'refuse-503', 'refuse-503');
    for (let call = 0; call < 2; call++) {
      await expect(client.send(request('energy'))).rejects.toMatchObject({
        code: 'agent_unavailable',
        agent: 'ds-analysts',
        message: expect.stringContaining('HTTP 503'),
      });
    }
    expect(agent.runs).toHaveLength(1);
    expect(await metric('aether_agent_circuit_state', { agent: 'ds-analysts' })).toBe(2);
  });

  it('never runs a message twice: a retry after the service received the call is refused, and the caller gets connection_reset', async () => {
    const { client } = await caller(proxy.url);
    proxy.plan('drop-after-request');
    await expect(client.send(request('energy'))).rejects.toMatchObject({
      name: 'AgentError',
      code: 'connection_reset',
      agent: 'ds-analysts',
      message: expect.stringContaining('it was not run a second time'),
    });
    expect(agent.runs).toHaveLength(1);
  });

  it('does not retry a connection that breaks after the first event: connection_reset, one run', async () => {
    const release = new Deferred();
    agent.script = async function* () {
      yield { type: 'token', agent: 'ds-analysts', content: 'partial' };
      await release.promise;
      yield { type: 'token', agent: 'ds-analysts', content: ' rest' };
    };
    const { client } = await caller(proxy.url);
    const before = proxy.connections;
    proxy.plan('drop-after-first-event');
    await expect(collect(client.stream(request('energy')))).rejects.toMatchObject({
      code: 'connection_reset',
      message: expect.stringContaining('broke after its task started'),
    });
    release.resolve();
    expect(agent.runs).toHaveLength(1);
    expect(proxy.connections - before).toBe(1);
  });

  it('times out a silent (hung) agent within its idle timeout, naming it; the per-agent override wins', async () => {
    const hung = await startHungServer();
    try {
      const { client } = await caller(hung.url, { AETHER_AGENT_IDLE_TIMEOUT_MS: '60000', DS_ANALYSTS_IDLE_TIMEOUT_MS: '300' });
      const started = performance.now();
      await expect(client.send(request('energy'))).rejects.toMatchObject({
        name: 'AgentError',
        code: 'timeout',
        agent: 'ds-analysts',
        message: 'The ds-analysts agent sent nothing for 300 ms (idle timeout)',
      });
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(2_000);
      // A timeout is not retried: the call may be running.
      expect(hung.connections()).toBe(1);
    } finally {
      await hung.close();
    }
  });

  it('fails a connection that does not open within the connect timeout, retried once, naming the agent', async () => {
    const unconnectable = await startUnconnectablePort();
    try {
      const { client, metric } = await caller(unconnectable.url, { AETHER_AGENT_CONNECT_TIMEOUT_MS: '200' });
      const started = performance.now();
      await expect(client.send(request('energy'))).rejects.toMatchObject({
        name: 'AgentError',
        code: 'agent_unavailable',
        agent: 'ds-analysts',
        message: expect.stringContaining('connect timed out after 200 ms'),
      });
      const elapsed = performance.now() - started;
      // Two attempts of 200 ms and the backoff between them, not the OS's minutes of SYN retries.
      expect(elapsed).toBeGreaterThanOrEqual(390);
      expect(elapsed).toBeLessThan(2_000);
      expect(await metric('aether_agent_call_retries_total', { agent: 'ds-analysts', reason: 'unreachable' })).toBe(1);
    } finally {
      unconnectable.close();
    }
  });

  it('keeps a live agent that works silently for longer than the idle timeout: its SSE heartbeats show it is alive', async () => {
    agent.script = async function* () {
      yield { type: 'status', agent: 'ds-analysts', content: 'crunching' };
      await new Promise((resolve) => setTimeout(resolve, 700));
      yield { type: 'token', agent: 'ds-analysts', content: 'done' };
    };
    const { client } = await caller(proxy.url, { AETHER_AGENT_IDLE_TIMEOUT_MS: '300' });
    expect((await client.send(request('long analysis'))).text).toBe('done');
  });

  it('opens the breaker after consecutive failures (fails fast, no connection), and re-opens when the half-open test call fails', async () => {
    const hung = await startHungServer();
    try {
      const { client, metric } = await caller(hung.url, {
        AETHER_AGENT_IDLE_TIMEOUT_MS: '200',
        AETHER_AGENT_BREAKER_FAILURES: '2',
        AETHER_AGENT_BREAKER_HALF_OPEN_MS: '400',
      });
      expect(await metric('aether_agent_circuit_state', { agent: 'ds-analysts' })).toBe(0);
      for (let i = 0; i < 2; i++) await expect(client.send(request('energy'))).rejects.toMatchObject({ code: 'timeout' });
      expect(await metric('aether_agent_circuit_state', { agent: 'ds-analysts' })).toBe(2);
      expect(await metric('aether_agent_circuit_opens_total', { agent: 'ds-analysts' })).toBe(1);

      const connections = hung.connections();
      const started = performance.now();
      await expect(client.send(request('energy'))).rejects.toMatchObject({
        code: 'agent_unavailable',
        agent: 'ds-analysts',
        message: expect.stringContaining('circuit breaker is open'),
      });
      expect(performance.now() - started).toBeLessThan(100);
      expect(hung.connections()).toBe(connections);

      // Still open: the one test call after half-open fails and opens it again.
      await new Promise((resolve) => setTimeout(resolve, 450));
      await expect(client.send(request('energy'))).rejects.toMatchObject({ code: 'timeout' });
      expect(await metric('aether_agent_circuit_opens_total', { agent: 'ds-analysts' })).toBe(2);
    } finally {
      await hung.close();
    }
  });

  it('closes the breaker again once the agent answers a half-open test call', async () => {
    // A proxy of its own: no kept-alive connection from an earlier test can carry the first call.
    const own = await startFaultProxy(service.port);
    try {
      await breakerRecovers(own);
    } finally {
      await own.close();
    }
  });

  async function breakerRecovers(proxy: FaultProxy): Promise<void> {
    const { client, metric } = await caller(proxy.url, { AETHER_AGENT_BREAKER_FAILURES: '1', AETHER_AGENT_BREAKER_HALF_OPEN_MS: '200' });
    proxy.setDefault('drop-before-request');
    await expect(client.send(request('energy'))).rejects.toMatchObject({ code: 'connection_reset' });
    expect(await metric('aether_agent_circuit_state', { agent: 'ds-analysts' })).toBe(2);
    await expect(client.send(request('energy'))).rejects.toMatchObject({ message: expect.stringContaining('circuit breaker is open') });
    expect(agent.runs).toHaveLength(0);

    proxy.setDefault('pass');
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await client.send(request('energy'))).text).toBe('12.5 kWh');
    expect(await metric('aether_agent_circuit_state', { agent: 'ds-analysts' })).toBe(0);
  }

  it('propagates the deadline: the callee sees the remaining budget, and work running at the deadline is stopped with a timeout', async () => {
    const stopped = new Deferred();
    agent.script = async function* (_request, signal) {
      yield { type: 'status', agent: 'ds-analysts', content: 'waiting forever' };
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      stopped.resolve();
    };
    const { client } = await caller(proxy.url);
    const deadline = Date.now() + 400;
    await expect(client.send(request('energy', deadline))).rejects.toMatchObject({ code: 'timeout', agent: 'ds-analysts', message: expect.stringContaining('deadline') });
    expect(Date.now() - deadline).toBeLessThan(500);
    expect(agent.runs).toHaveLength(1);
    // Relative budget on the wire, rebuilt against the callee's clock.
    expect(Math.abs((agent.runs[0].context.deadline ?? 0) - deadline)).toBeLessThan(100);
    // The callee's work itself stops (cancelled by the caller, or by its own copy of the deadline).
    await stopped.promise;
  });

  it('applies the same deadline in-process (monolith): the call ends with a timeout and the work is stopped', async () => {
    const stopped = new Deferred();
    agent.script = async function* (_request, signal) {
      yield { type: 'status', agent: 'ds-analysts', content: 'waiting forever' };
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      stopped.resolve();
    };
    const inProcess = service.app.get(AgentDirectory).client('ds-analysts');
    const deadline = Date.now() + 300;
    await expect(inProcess.send(request('energy', deadline))).rejects.toMatchObject({ code: 'timeout', agent: 'ds-analysts', message: expect.stringContaining('deadline') });
    expect(Date.now() - deadline).toBeLessThan(500);
    await stopped.promise;
    await expect(inProcess.send(request('energy', Date.now() - 1))).rejects.toMatchObject({ code: 'timeout' });
    expect(agent.runs).toHaveLength(1);
  });

  it('does not call at all when the deadline already passed', async () => {
    const { client } = await caller(proxy.url);
    const before = proxy.connections;
    await expect(client.send(request('energy', Date.now() - 1))).rejects.toMatchObject({ code: 'timeout', agent: 'ds-analysts' });
    expect(proxy.connections).toBe(before);
    expect(agent.runs).toHaveLength(0);
  });

  it('the service refuses, before any task exists, a message whose budget is spent and a message id it already ran', async () => {
    const sdk = await new ClientFactory().createFromUrl(`http://127.0.0.1:${service.port}`);
    const expired = encodeAgentRequest(request('energy', Date.now() - 5));
    await expect(sdk.sendMessage(expired, { serviceParameters: AUTH })).rejects.toThrow(DEADLINE_EXCEEDED_REASON);

    const params = encodeAgentRequest(request('energy'));
    await sdk.sendMessage(params, { serviceParameters: AUTH });
    await expect(sdk.sendMessage(params, { serviceParameters: AUTH })).rejects.toThrow(DUPLICATE_MESSAGE_REASON);
    expect(agent.runs).toHaveLength(1);
  });
});
