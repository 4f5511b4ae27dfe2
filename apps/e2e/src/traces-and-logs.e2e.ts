import { freePort, startApp, startDistributedStack, type DistributedStack, type StartedApp } from '../../../tools/start-distributed/stack.mjs';
import { stackDatabase, type E2eDatabase } from './support/database';
import { FakeLlmServer } from './support/fake-llm-server';
import { embeddedDefaultsEnv, ENERGY_QUESTION, openaiClient } from './support/gateway-client';
import { ancestorsOf, OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';

type AetherCompletion = Awaited<ReturnType<ReturnType<typeof openaiClient>['chat']['completions']['create']>> & { conversation_id: string };

/** The key the stack's model is called with: a secret no log line may show. */
const LLM_API_KEY = 'sk-e2e-9f3c41d7a2b84e6fb0c5d1e8a7f26b93';

/**
 * Traces and logs of one chat, as an operator sees them: every process exports its spans over
 * OTLP (the standard variables, to a receiver in this test) and prints JSON lines. One energy
 * question through the distributed process stack is one trace across five services; the
 * monolith makes the same tree in one process.
 */
describe('traces across every hop and structured logs', () => {
  const receiver = new OtlpReceiver();
  const llm = new FakeLlmServer();
  const output = new Map<string, string>();
  let stack: DistributedStack;
  let database: E2eDatabase | undefined;
  let tracingEnv: Record<string, string>;

  beforeAll(async () => {
    const [endpoint, llmUrl] = await Promise.all([receiver.start(), llm.start()]);
    llm.open();
    tracingEnv = {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // Export as soon as spans end (the default batches for 5 s).
      OTEL_BSP_SCHEDULE_DELAY: '50',
      LLM_BASE_URL: llmUrl,
      LLM_API_KEY,
      LLM_MODEL: 'fake-model',
      LOG_LEVEL: 'debug',
    };
    stack = await startDistributedStack({
      randomPorts: true,
      env: { ...(database = await stackDatabase()).env, ...tracingEnv },
      onOutput: (app, text) => output.set(app, (output.get(app) ?? '') + text),
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all([receiver.stop(), llm.stop()]);
    await database?.drop();
  });

  /** Asks the energy question and waits until its trace holds the DS analysts' task span. */
  async function askAndTrace(gatewayUrl: string): Promise<{ completion: AetherCompletion; trace: ReceivedSpan[] }> {
    const completion = (await openaiClient(gatewayUrl).chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: ENERGY_QUESTION }] })) as AetherCompletion;
    const isRequest = (span: ReceivedSpan) => span.name === 'POST /api/v1/chat/completions' && span.attributes['gen_ai.conversation.id'] === completion.conversation_id;
    const spans = await receiver.waitFor((all) => {
      const request = all.find(isRequest);
      return Boolean(request && all.some((span) => span.traceId === request.traceId && span.name === 'invoke_agent ds-analysts'));
    });
    const traceId = spans.find(isRequest)!.traceId;
    return { completion, trace: spans.filter((span) => span.traceId === traceId) };
  }

  /** The agents whose task spans lead from the gateway's request down to the DS analysts' task, outermost first. */
  function agentChain(trace: ReceivedSpan[]): string[] {
    const analysts = trace.find((span) => span.name === 'invoke_agent ds-analysts')!;
    const chain = [analysts, ...ancestorsOf(analysts, trace)].reverse();
    // The chain reaches the gateway's request span: every parent link in between was received.
    expect(chain[0]).toMatchObject({ service: 'gateway', name: 'POST /api/v1/chat/completions', kind: 2 });
    expect(chain[0].parentSpanId).toBeUndefined();
    return chain.filter((span) => span.name.startsWith('invoke_agent ')).map((span) => span.name.slice('invoke_agent '.length));
  }

  it('makes one chat through the distributed stack one trace: gateway → orchestrator → architect → ds-orchestrator → ds-analysts, with the model calls and tools in it', async () => {
    const { completion, trace } = await askAndTrace(stack.gateway.url);

    expect(agentChain(trace)).toEqual(['orchestrator', 'architect', 'ds-orchestrator', 'ds-analysts']);
    expect(new Set(trace.map((span) => span.service))).toEqual(expect.objectContaining(new Set(['gateway', 'orchestrator', 'architect', 'ds-orchestrator', 'ds-analysts'])));
    // Every hop crosses processes: the callee's task span is the child of the span its caller was in.
    const hops = [['gateway', 'orchestrator'], ['orchestrator', 'architect'], ['architect', 'ds-orchestrator'], ['ds-orchestrator', 'ds-analysts']];
    for (const [caller, callee] of hops) {
      const [parent] = ancestorsOf(trace.find((span) => span.name === `invoke_agent ${callee}`)!, trace);
      expect(parent.service).toBe(caller);
    }
    for (const agent of ['orchestrator', 'architect', 'ds-orchestrator', 'ds-analysts']) {
      // Each agent's task span is made by that agent's own process.
      expect(trace.find((span) => span.name === `invoke_agent ${agent}`)).toMatchObject({
        service: agent,
        attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': agent, 'gen_ai.conversation.id': completion.conversation_id },
      });
    }
    // The model calls: the orchestrator's routing and the architect's two turns, with model and token counts.
    const chats = trace.filter((span) => span.name === 'chat fake-model');
    expect(chats.map((span) => span.service).sort()).toEqual(['architect', 'architect', 'orchestrator']);
    for (const chat of chats) {
      expect(chat).toMatchObject({ kind: 3, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'fake-model', 'gen_ai.conversation.id': completion.conversation_id } });
      expect(chat.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
      expect(chat.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
      expect(chat.attributes['gen_ai.response.finish_reasons']).toEqual([expect.stringMatching(/^(stop|tool_calls)$/)]);
      // Prompts are not recorded unless OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true.
      expect(chat.attributes['gen_ai.input.messages']).toBeUndefined();
    }
    const consult = trace.find((span) => span.name === 'execute_tool consult_data_science_team');
    expect(consult).toMatchObject({ service: 'architect', attributes: { 'gen_ai.tool.name': 'consult_data_science_team' } });
    expect(ancestorsOf(trace.find((span) => span.name === 'invoke_agent ds-orchestrator')!, trace)).toContainEqual(consult);
    // The analysis, and its reads of Home Assistant, are in the same trace.
    expect(trace.find((span) => span.name === 'analysis energy')).toMatchObject({ service: 'ds-analysts' });
    expect(trace.some((span) => span.service === 'ds-analysts' && span.name.startsWith('HA ') && span.kind === 3)).toBe(true);
  });

  it('makes the same tree of agent tasks in the monolith, in one process', async () => {
    const monolithOutput: string[] = [];
    let monolith: StartedApp | undefined;
    try {
      monolith = await startApp('gateway', {
        port: await freePort(),
        env: { ...embeddedDefaultsEnv(), ...tracingEnv, DEPLOYMENT_MODE: 'monolith', HA_URL: stack.ha.url, HA_TOKEN: stack.ha.token! },
        healthPath: '/api/v1/health',
        onOutput: (_app, text) => monolithOutput.push(text),
      });
      const { trace } = await askAndTrace(monolith.url);
      expect(agentChain(trace)).toEqual(['orchestrator', 'architect', 'ds-orchestrator', 'ds-analysts']);
      expect(new Set(trace.filter((span) => span.name.startsWith('invoke_agent ') || span.name.startsWith('chat ')).map((span) => span.service))).toEqual(new Set(['gateway']));
      expect(trace.filter((span) => span.name === 'chat fake-model')).toHaveLength(3);
    } finally {
      await monolith?.stop();
    }
  });

  it('prints every line as JSON with service and level; the lines of a chat carry its trace id; no secret is ever printed', async () => {
    const { completion, trace } = await askAndTrace(stack.gateway.url);
    const traceId = trace[0].traceId;
    const lines = [...output].flatMap(([app, text]) =>
      text
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => ({ app, line })),
    );
    expect(lines.length).toBeGreaterThan(0);
    const parsed = lines.map(({ app, line }) => {
      expect(line).not.toContain('\u001b[');
      const fields = JSON.parse(line) as Record<string, unknown>;
      expect(fields).toMatchObject({ service: expect.any(String), level: expect.any(String), time: expect.any(String), message: expect.any(String) });
      expect([app, 'database']).toContain(fields['service']);
      return fields;
    });
    // What the services logged about this chat (its tasks finishing, in four processes), all under its trace.
    const chatLines = parsed.filter((fields) => fields['conversation_id'] === completion.conversation_id);
    expect(new Set(chatLines.map((fields) => fields['service']))).toEqual(expect.objectContaining(new Set(['orchestrator', 'architect', 'ds-orchestrator', 'ds-analysts'])));
    for (const fields of chatLines) expect(fields).toMatchObject({ trace_id: traceId, span_id: expect.stringMatching(/^[\da-f]{16}$/) });

    const secrets = [LLM_API_KEY, stack.serviceToken, stack.ha.token!];
    for (const { line } of lines) for (const secret of secrets) expect(line).not.toContain(secret);
  });
});
