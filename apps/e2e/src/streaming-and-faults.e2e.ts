import { freePort, startApp, startDistributedStack, type DistributedStack } from '../../../tools/start-distributed/stack.mjs';
import { API_KEY, embeddedDefaultsEnv, ENERGY_QUESTION, openaiClient } from './support/gateway-client';
import { stackDatabase, type E2eDatabase } from './support/database';
import { FakeLlmServer, FINAL_ANSWER_OPENING, MISQUOTE_OPENING, NARRATIVE_OPENING, WARMEST_HOUR_QUESTION } from './support/fake-llm-server';
import { haStatistics, verifyEnergyAnswer } from './support/energy-figures';
import { haTimeZone } from './support/ha-config';

/**
 * The distributed stack driven by a remote OpenAI-compatible model (a fake one on loopback), so the
 * test controls when the model produces tokens and when requests are in flight.
 */
describe('distributed stack with a remote LLM: incremental tokens and faults', () => {
  let stack: DistributedStack;
  let database: E2eDatabase | undefined;
  const llm = new FakeLlmServer();

  beforeAll(async () => {
    const llmUrl = await llm.start();
    stack = await startDistributedStack({
      randomPorts: true,
      env: {
        ...(database = await stackDatabase()).env,
        LLM_BASE_URL: llmUrl,
        LLM_API_KEY: 'fake-key',
        LLM_MODEL: 'fake-model',
        // Background health probes every 250 ms, so the gateway's health sees the killed service soon.
        AETHER_HEALTH_INTERVAL_MS: '250',
        AETHER_HEALTH_TIMEOUT_MS: '200',
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await llm.stop();
    await database?.drop();
  });

  /**
   * Runs `check` against the distributed stack's gateway, then against a monolith on the same home
   * and model: the same answers must come from both deployments.
   */
  const inBothModes = async (check: (gateway: string) => Promise<void>) => {
    const monolith = await startApp('gateway', {
      port: await freePort(),
      env: { ...embeddedDefaultsEnv(), DEPLOYMENT_MODE: 'monolith', HA_URL: stack.ha.url, HA_TOKEN: stack.ha.token!, LLM_BASE_URL: stack.env.LLM_BASE_URL, LLM_API_KEY: 'fake-key', LLM_MODEL: 'fake-model' },
      healthPath: '/api/v1/health',
    });
    try {
      for (const gateway of [stack.gateway.url, monolith.url]) await check(gateway);
    } finally {
      await monolith.stop();
    }
  };

  it('lists the configured model', async () => {
    const models = await openaiClient(stack.gateway.url).models.list();
    expect(models.data.map((m) => m.id)).toEqual(['fake-model']);
  });

  it('delivers the first content chunk to the client before the model has produced the last one', async () => {
    const stream = await openaiClient(stack.gateway.url).chat.completions.create({
      model: 'fake-model',
      stream: true,
      messages: [{ role: 'user', content: ENERGY_QUESTION }],
    });
    let content = '';
    let firstContentAt: number | undefined;
    for await (const chunk of stream) {
      const text = chunk.choices[0]?.delta?.content;
      if (!text) continue;
      content += text;
      if (firstContentAt === undefined) {
        firstContentAt = performance.timeOrigin + performance.now();
        // The model holds the rest of its answer until the client has seen the first tokens:
        // if any hop buffered the answer, this loop would never get here and the test would time out.
        llm.open();
      }
    }
    expect(firstContentAt).toBeDefined();
    expect(llm.lastChunkProducedAt).toBeDefined();
    expect(firstContentAt!).toBeLessThan(llm.lastChunkProducedAt!);
    expect(content.startsWith(FINAL_ANSWER_OPENING)).toBe(true);
    await verifyEnergyAnswer(content, stack.ha.url, stack.ha.token!);
  });

  it('shows the computed figures verbatim and flags a model that restates the total wrongly and invents a cost, distributed and monolith alike', async () => {
    await inBothModes(async (gateway) => {
      llm.misquoteNext = true;
      const completion = await openaiClient(gateway).chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: ENERGY_QUESTION }] });
      const content = completion.choices[0].message.content ?? '';
      expect(content.startsWith(`${MISQUOTE_OPENING} `)).toBe(true);
      expect(content).toMatch(/withheld because it gave figures the analysis did not compute \("[\d.]+", "4\.73"\)/);
      expect(content).not.toContain('€4.73');
      // The report the user reads is the computed one, figure for figure (checked against HA's raw history).
      await verifyEnergyAnswer(content, stack.ha.url, stack.ha.token!);
    });
  });

  it('answers a question no built-in analysis covers with a script the DS analysts\' model writes and the sandbox runs, distributed and monolith alike, with figures that match HA\'s statistics', async () => {
    llm.open();
    await inBothModes(async (gateway) => {
      const asked = llm.requests.length;
      const completion = await openaiClient(gateway).chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: WARMEST_HOUR_QUESTION }] });
      const content = completion.choices[0].message.content ?? '';
      // The script was asked of the model, by the DS analysts, with the home's statistics listed.
      const scriptRequest = llm.requests.slice(asked).find((r) => String(r.body.messages[0]?.content).startsWith('You are the data scientist of Aether'));
      expect(String(scriptRequest?.body.messages[1]?.content)).toContain('- sensor.outdoor_temperature — Outdoor Temperature, °C, measurement');
      expect(content).toMatch(/a Python script written for this question by fake-model and run in the (runsc|bwrap) sandbox/);
      const finding = /\*\*Warmest outside around (\d\d):00\*\*: The outdoor temperature averages ([\d.-]+) °C/.exec(content);
      expect(finding).not.toBeNull();

      // The same figure from HA's hourly statistics over the window the script states (its evidence, kept as an insight).
      const insights = await (await fetch(`${gateway}/api/v1/insights?specialist=custom`, { headers: { 'X-API-Key': API_KEY } })).json();
      const { evidence } = insights.data[0];
      const timeZone = await haTimeZone(stack.ha.url, stack.ha.token!);
      const rows = (await haStatistics(stack.ha.url, stack.ha.token!, { statistic_ids: ['sensor.outdoor_temperature'], start_time: evidence.start, end_time: evidence.end, period: 'hour', types: ['mean'] }))['sensor.outdoor_temperature'];
      const whole = rows.filter((row) => row.start >= Date.parse(evidence.start) && row.end <= Date.parse(evidence.end));
      const byHour = new Map<number, number[]>();
      for (const row of whole) {
        const hour = Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone }).format(row.start));
        byHour.set(hour, [...(byHour.get(hour) ?? []), row.mean as number]);
      }
      const [warmest, mean] = [...byHour].map(([hour, values]) => [hour, values.reduce((a, b) => a + b, 0) / values.length] as const).sort((a, b) => b[1] - a[1])[0];
      expect(evidence.hours).toBe(whole.length);
      expect(Number(finding![1])).toBe(warmest);
      expect(evidence.meanC).toBeCloseTo(mean, 3);
    });
  });

  it('sums the team report up in words by the team\'s own model when asked for a summary, its figures the report\'s, distributed and monolith alike', async () => {
    await inBothModes(async (gateway) => {
      const res = await fetch(`${gateway}/api/v1/chat/completions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-API-Key': API_KEY },
        body: JSON.stringify({ model: 'fake-model', agent: 'ds-orchestrator', messages: [{ role: 'user', content: 'Summarize my energy usage for the last 24 hours' }] }),
      });
      expect(res.status).toBe(200);
      const content: string = (await res.json()).choices[0].message.content;
      const total = /^Total: ([\d.]+) kWh$/m.exec(content)?.[1];
      expect(total).toBeDefined();
      expect(content).toContain(`**In words** (written by fake-model from this report; its figures checked against it):\n${NARRATIVE_OPENING} ${total} kWh over the window`);
      await verifyEnergyAnswer(content, stack.ha.url, stack.ha.token!);
    });
  });

  it('ends the stream with an error chunk within 5 s when ds-analysts dies mid-request, and keeps serving', async () => {
    const held = llm.holdNextRequest();
    const consumed = (async () => {
      try {
        const stream = await openaiClient(stack.gateway.url).chat.completions.create({
          model: 'fake-model',
          stream: true,
          messages: [{ role: 'user', content: `${ENERGY_QUESTION} this week` }],
        });
        for await (const _chunk of stream) {
          // drain
        }
        return undefined;
      } catch (error) {
        return error as Error;
      }
    })();

    await held.arrived; // the request is in flight inside the agent chain
    const analysts = stack.agents['ds-analysts'];
    analysts.child.kill('SIGKILL');
    await analysts.exited;
    const killedAt = Date.now();
    held.release();

    const error = await consumed;
    expect(Date.now() - killedAt).toBeLessThan(5000);
    expect(error).toBeDefined();
    expect(error!.message).toMatch(/ds-analysts|unavailable|unreachable/i);

    // The gateway is still up: health reports the dead service, other agents still answer.
    // Its health comes from background probes with hysteresis: it turns degraded after a few failed probes.
    let health = await (await fetch(`${stack.gateway.url}/api/v1/health`)).json();
    for (const deadline = Date.now() + 10_000; health.status !== 'degraded' && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      health = await (await fetch(`${stack.gateway.url}/api/v1/health`)).json();
    }
    expect(health.status).toBe('degraded');
    expect(health.agents['ds-analysts'].reachable).toBe(false);
    const res = await fetch(`${stack.gateway.url}/api/v1/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': API_KEY },
      body: JSON.stringify({ model: 'fake-model', agent: 'librarian', messages: [{ role: 'user', content: 'What devices do I have in the kitchen?' }] }),
    });
    expect(res.status).toBe(200);
    // A request that needs the dead service fails fast with 503, not a hang.
    const needsAnalysts = await fetch(`${stack.gateway.url}/api/v1/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': API_KEY },
      body: JSON.stringify({ model: 'fake-model', agent: 'ds-orchestrator', messages: [{ role: 'user', content: ENERGY_QUESTION }] }),
    });
    expect(needsAnalysts.status).toBe(503);
    expect((await needsAnalysts.json()).error.message).toMatch(/ds-analysts/);
  });

  it('sent the model only requests a strict OpenAI-compatible server accepts (the fake provider validates them)', () => {
    expect(llm.requests.length).toBeGreaterThan(0);
    expect(llm.requests.filter((r) => r.rejected).map((r) => r.rejected)).toEqual([]);
  });
});
