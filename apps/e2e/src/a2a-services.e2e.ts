import { TaskState, type SendMessageRequest, type Task } from '@a2a-js/sdk';
import { ClientFactory } from '@a2a-js/sdk/client';
import { randomUUID } from 'node:crypto';
import { startDistributedStack, type DistributedStack } from '../../../tools/start-distributed/stack.mjs';
import { a2aUserMessage } from './support/a2a-message';
import { ENERGY_QUESTION, postRequestCount } from './support/gateway-client';
import { stackDatabase, type E2eDatabase } from './support/database';
import { parseEnergyReport } from './support/energy-figures';

/** An external A2A peer (the official @a2a-js/sdk client, or raw JSON-RPC) calling each agent service. */
describe('agent services over A2A (real processes)', () => {
  let stack: DistributedStack;
  let database: E2eDatabase | undefined;
  let auth: Record<string, string>;

  /** What each process printed, to check the logs of a whole run (the last test). */
  const output = new Map<string, string>();
  const serviceToken = `e2e-service-token-${randomUUID()}`;

  beforeAll(async () => {
    database = await stackDatabase();
    stack = await startDistributedStack({
      randomPorts: true,
      env: { ...database.env, AETHER_SERVICE_TOKEN: serviceToken, LOG_LEVEL: 'debug' },
      onOutput: (app: string, text: string) => output.set(app, (output.get(app) ?? '') + text),
    });
    auth = { Authorization: `Bearer ${stack.serviceToken}` };
  });
  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  });

  function answerOf(task: Task): string {
    return task.artifacts
      .filter((a) => a.artifactId === 'answer')
      .flatMap((a) => a.parts)
      .map((p) => (p.content?.$case === 'text' ? p.content.value : ''))
      .join('');
  }

  async function callV1(agent: string, request: SendMessageRequest): Promise<Task> {
    const client = await new ClientFactory().createFromUrl(stack.agents[agent].url);
    const result = await client.sendMessage(request, { serviceParameters: auth });
    expect('status' in result).toBe(true);
    return result as Task;
  }

  it('serves a card per agent with its skills, streaming, both protocol versions at its real URL, and the bearer scheme', async () => {
    for (const [name, service] of Object.entries(stack.agents)) {
      const res = await fetch(`${service.url}/.well-known/agent-card.json`, { headers: { 'A2A-Version': '1.0' } });
      expect(res.status).toBe(200);
      const card = await res.json();
      expect(card.name).toBe(name);
      expect(card.capabilities.streaming).toBe(true);
      expect(card.skills.length).toBeGreaterThan(0);
      const interfaces = card.supportedInterfaces as Array<{ url: string; protocolVersion: string }>;
      expect(interfaces.map((i) => i.protocolVersion).sort()).toEqual(['0.3', '1.0']);
      for (const i of interfaces) expect(i.url.replace(/\/$/, '')).toBe(service.url);
      expect(JSON.stringify(card.securitySchemes)).toMatch(/bearer/i);
    }
  });

  it('answers SendMessage (v1.0) from the official SDK client on the energy chain agents', async () => {
    for (const agent of ['orchestrator', 'architect', 'ds-orchestrator']) {
      const task = await callV1(agent, a2aUserMessage(ENERGY_QUESTION));
      expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      expect(parseEnergyReport(answerOf(task)).totalKwh).toBeGreaterThan(0);
    }
    const analysis = await callV1('ds-analysts', a2aUserMessage(ENERGY_QUESTION, { specialist: 'energy', hours: 48 }));
    expect(analysis.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const report = parseEnergyReport(answerOf(analysis));
    expect(Date.parse(report.end) - Date.parse(report.start)).toBe(48 * 3600 * 1000);
  });

  it('asks the Dashboard Designer service for a dashboard it cannot place, and it asks back which one, proposing nothing', async () => {
    const task = await callV1('dashboard-designer', a2aUserMessage('design something'));
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(answerOf(task)).toMatch(/^Which dashboard should I design\?/);
  });

  it('discovers the home through the Librarian service and reports the real counts', async () => {
    const states = (await (await fetch(`${stack.ha.url}/api/states`, { headers: { Authorization: `Bearer ${stack.ha.token}` } })).json()) as unknown[];
    const task = await callV1('librarian', a2aUserMessage('Discover my home'));
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(answerOf(task)).toContain(String(states.length));
  });

  it('accepts a raw v0.3 message/send and returns a v0.3 task', async () => {
    const res = await fetch(`${stack.agents['ds-analysts'].url}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...auth },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'message/send',
        params: {
          message: {
            kind: 'message',
            messageId: randomUUID(),
            role: 'user',
            parts: [
              { kind: 'text', text: ENERGY_QUESTION },
              { kind: 'data', data: { specialist: 'energy', hours: 24 } },
            ],
          },
        },
      }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.error).toBeUndefined();
    expect(body.result).toMatchObject({ kind: 'task', status: { state: 'completed' } });
    const answer = body.result.artifacts.find((a: { artifactId: string }) => a.artifactId === 'answer');
    expect(parseEnergyReport(answer.parts.map((p: { text: string }) => p.text).join('')).sensors.length).toBeGreaterThanOrEqual(9);
  });

  it('refuses A2A calls without the service token (401, JSON-RPC body) or with a wrong one, and runs nothing', async () => {
    const dsOrchestratorCallsBefore = await postRequestCount(stack.agents['ds-orchestrator'].url);
    const headerSets: Array<Record<string, string>> = [{}, { Authorization: 'Bearer wrong-token' }];
    for (const headers of headerSets) {
      const res = await fetch(`${stack.agents.architect.url}/`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'A2A-Version': '1.0', ...headers },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 7,
          method: 'SendMessage',
          params: { message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: ENERGY_QUESTION }] } },
        }),
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ jsonrpc: '2.0', id: 7, error: { code: expect.any(Number), message: expect.any(String) } });
    }
    const client = await new ClientFactory().createFromUrl(stack.agents.architect.url);
    await expect(client.sendMessage(a2aUserMessage(ENERGY_QUESTION))).rejects.toThrow();
    // Had any of these run, the architect would have consulted the DS orchestrator.
    expect(await postRequestCount(stack.agents['ds-orchestrator'].url)).toBe(dsOrchestratorCallsBefore);
  });

  it('logs JSON lines naming service and level in every process, the agent and conversation of each task, and never the service token', async () => {
    const request = a2aUserMessage(ENERGY_QUESTION);
    const task = await callV1('ds-orchestrator', request);
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    await stack.stop();

    expect([...output.keys()].sort()).toEqual(expect.arrayContaining(['architect', 'ds-analysts', 'ds-orchestrator', 'gateway', 'librarian', 'orchestrator']));
    const lines = [...output].flatMap(([app, text]) => text.split('\n').filter((line) => line.trim()).map((line) => ({ app, line })));
    for (const { app, line } of lines) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(parsed).toMatchObject({ service: expect.any(String), level: expect.any(String), time: expect.any(String), message: expect.any(String) });
      expect([app, 'database']).toContain(parsed['service']);
      expect(line).not.toContain('\u001b[');
    }
    // The task of this conversation, as the DS team's service logged it.
    const taskLines = lines.map(({ line }) => JSON.parse(line) as Record<string, unknown>).filter((line) => line['conversation_id'] === request.message!.contextId);
    expect(taskLines).toEqual(expect.arrayContaining([expect.objectContaining({ service: 'ds-orchestrator', agent: 'ds-orchestrator', message: `task ${task.id} finished` })]));
    expect(lines.some(({ line }) => line.includes(serviceToken))).toBe(false);
  });
});
