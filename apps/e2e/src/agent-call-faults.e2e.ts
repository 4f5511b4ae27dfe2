import { TaskState } from '@a2a-js/sdk';
import { ClientFactory } from '@a2a-js/sdk/client';
import { startFaultProxy, type FaultProxy } from '@aether/a2a/testing';
import { APIError } from 'openai';
import { freePort, startApp, startDistributedStack, type DistributedStack, type StartedApp } from '../../../tools/start-distributed/stack.mjs';
import { stackDatabase, type E2eDatabase } from './support/database';
import { verifyEnergyAnswer } from './support/energy-figures';
import { collectStream, embeddedDefaultsEnv, ENERGY_QUESTION, openaiClient } from './support/gateway-client';

const IDLE_TIMEOUT_MS = 2_000;
const HALF_OPEN_MS = 1_500;

/** Short limits so a hung agent is found in seconds; heartbeats well inside the idle timeout. */
const CALL_LIMITS = {
  AETHER_HEARTBEAT_MS: '400',
  AETHER_AGENT_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS),
  AETHER_AGENT_BREAKER_FAILURES: '2',
  AETHER_AGENT_BREAKER_HALF_OPEN_MS: String(HALF_OPEN_MS),
};

/** `aether_agent_circuit_state{agent}` / `aether_agent_circuit_opens_total{agent}` in a service's scrape. */
async function circuit(serviceUrl: string, agent: string): Promise<{ state?: number; opens?: number }> {
  const text = await (await fetch(`${serviceUrl}/metrics`)).text();
  const sample = (name: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`agent="${agent}"`));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  return { state: sample('aether_agent_circuit_state'), opens: sample('aether_agent_circuit_opens_total') };
}

/** The error the openai SDK raised for a request, or undefined when it succeeded. */
async function failureOf(request: Promise<unknown>): Promise<APIError | undefined> {
  try {
    await request;
    return undefined;
  } catch (error) {
    if (error instanceof APIError) return error;
    throw error;
  }
}

describe('calls between agents under faults (distributed process stack)', () => {
  let stack: DistributedStack;
  let database: E2eDatabase | undefined;

  beforeAll(async () => {
    database = await stackDatabase();
    stack = await startDistributedStack({ randomPorts: true, env: { ...database.env, ...CALL_LIMITS } });
  });
  afterAll(async () => {
    // Whatever a test did, no process stays stopped.
    stack?.agents['ds-orchestrator']?.child.kill('SIGCONT');
    await stack?.stop();
    await database?.drop();
  });

  describe('a hung agent (SIGSTOP)', () => {
    afterEach(() => {
      stack.agents['ds-orchestrator'].child.kill('SIGCONT');
    });

    it('fails requests through it with a timeout naming it within the idle timeout, opens the breaker, and recovers after SIGCONT', async () => {
      const openai = openaiClient(stack.gateway.url);
      const architect = stack.agents.architect.url;
      expect(await circuit(architect, 'ds-orchestrator')).toEqual({ state: 0, opens: undefined });

      expect(stack.agents['ds-orchestrator'].child.kill('SIGSTOP')).toBe(true);

      // Streaming: the error arrives as the stream's error chunk, which the SDK raises.
      let started = performance.now();
      const streamed = await failureOf(
        openai.chat.completions.create({ model: 'aether-offline', stream: true, messages: [{ role: 'user', content: ENERGY_QUESTION }] }).then(collectStream),
      );
      expect(performance.now() - started).toBeLessThan(IDLE_TIMEOUT_MS + 3_000);
      expect(streamed?.message).toContain(`The ds-orchestrator agent sent nothing for ${IDLE_TIMEOUT_MS} ms (idle timeout)`);

      // Non-streaming: HTTP 504 with the OpenAI envelope.
      started = performance.now();
      const failed = await failureOf(openai.chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: ENERGY_QUESTION }] }));
      expect(performance.now() - started).toBeLessThan(IDLE_TIMEOUT_MS + 3_000);
      expect(failed).toMatchObject({ status: 504, code: 'timeout', type: 'server_error' });
      expect(failed?.message).toContain('ds-orchestrator');

      // Two consecutive timeouts opened architect's breaker to ds-orchestrator: the next call fails fast.
      expect(await circuit(architect, 'ds-orchestrator')).toEqual({ state: 2, opens: 1 });
      started = performance.now();
      const fastFailure = await failureOf(openai.chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: ENERGY_QUESTION }] }));
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(fastFailure).toMatchObject({ status: 503, code: 'agent_unavailable' });
      expect(fastFailure?.message).toContain('circuit breaker is open');

      stack.agents['ds-orchestrator'].child.kill('SIGCONT');

      // Calls fail fast until the breaker half-opens; the first call after that tests the agent and closes it.
      let answer: string | undefined;
      const recoverBy = Date.now() + HALF_OPEN_MS + 30_000;
      while (answer === undefined && Date.now() < recoverBy) {
        try {
          const completion = await openai.chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: ENERGY_QUESTION }] });
          answer = completion.choices[0].message.content ?? '';
        } catch (error) {
          // Only the fail-fast answer of the still-open breaker is expected while waiting.
          expect(error).toMatchObject({ status: 503, code: 'agent_unavailable' });
        }
      }
      expect(answer).toBeDefined();
      await verifyEnergyAnswer(answer ?? '', stack.ha.url, stack.ha.token!);
      expect(await circuit(architect, 'ds-orchestrator')).toEqual({ state: 0, opens: 1 });
    });
  });

  describe('a connection that breaks (loopback fault proxy in front of ds-orchestrator)', () => {
    let proxy: FaultProxy;
    let gateway: StartedApp;

    beforeAll(async () => {
      proxy = await startFaultProxy(stack.agents['ds-orchestrator'].port);
      // Selective: everything in the gateway except ds-orchestrator, reached through the proxy.
      gateway = await startApp('gateway', {
        port: await freePort(),
        env: {
          ...embeddedDefaultsEnv(),
          ...CALL_LIMITS,
          DEPLOYMENT_MODE: 'selective',
          REMOTE_AGENTS: 'ds-orchestrator',
          DS_ORCHESTRATOR_URL: proxy.url,
          AETHER_SERVICE_TOKEN: stack.serviceToken,
          HA_URL: stack.ha.url,
          HA_TOKEN: stack.ha.token!,
        },
        healthPath: '/api/v1/health',
      });
    });
    afterAll(async () => {
      await gateway?.stop();
      await proxy?.close();
    });

    /** ds-orchestrator's tasks, read over A2A `ListTasks` straight from the service (not through the proxy). */
    async function dsOrchestratorTaskIds(): Promise<string[]> {
      const sdk = await new ClientFactory().createFromUrl(stack.agents['ds-orchestrator'].url);
      const page = await sdk.listTasks(
        { tenant: '', contextId: '', status: TaskState.TASK_STATE_UNSPECIFIED, pageSize: 100, pageToken: '', statusTimestampAfter: undefined, includeArtifacts: false },
        { serviceParameters: { Authorization: `Bearer ${stack.serviceToken}` } },
      );
      return page.tasks.map((task) => task.id);
    }

    it('retries a call whose connection dropped before the first event, once, and the user gets the answer; the work ran once', async () => {
      const tasksBefore = await dsOrchestratorTaskIds();
      const connectionsBefore = proxy.connections;
      proxy.plan('drop-before-request');
      const completion = await openaiClient(gateway.url).chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: ENERGY_QUESTION }] });
      await verifyEnergyAnswer(completion.choices[0].message.content ?? '', stack.ha.url, stack.ha.token!);
      expect(proxy.connections - connectionsBefore).toBe(2);
      expect((await dsOrchestratorTaskIds()).filter((id) => !tasksBefore.includes(id))).toHaveLength(1);
      expect(await circuit(gateway.url, 'ds-orchestrator')).toMatchObject({ state: 0 });
    });

    it('reports a connection reset after the first event as an error naming the agent, and never runs the work again', async () => {
      const tasksBefore = await dsOrchestratorTaskIds();
      const connectionsBefore = proxy.connections;
      proxy.plan('drop-after-first-event');
      const failed = await failureOf(
        openaiClient(gateway.url).chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: ENERGY_QUESTION }] }),
      );
      expect(failed).toMatchObject({ status: 502, code: 'connection_reset' });
      expect(failed?.message).toContain('The connection to the ds-orchestrator agent broke after its task started');
      expect(proxy.connections - connectionsBefore).toBeLessThanOrEqual(1);
      expect((await dsOrchestratorTaskIds()).filter((id) => !tasksBefore.includes(id))).toHaveLength(1);
    });
  });
});
