import { freePort, HA_DEMO_TOKEN, startApp, type StartedApp } from '../../../tools/start-distributed/stack.mjs';
import { API_KEY, collectStream, embeddedDefaultsEnv, ENERGY_QUESTION, openaiClient } from './support/gateway-client';
import { verifyAutomationEffects, verifyPorchLightAnswer } from './support/behavior-figures';
import { GARAGE_QUESTION, verifyGarageAnswer } from './support/diagnostic-figures';
import { coveredHours, verifyEnergyAnswer } from './support/energy-figures';
import { haTimeZone } from './support/ha-config';
import { verifyCustomAnalysisAnswer, verifyEnergyCharts } from './support/answer-charts';

/** The gateway process in monolith mode with every embedded default (demo home, aether-offline). */
describe('monolith gateway (real process, official openai SDK)', () => {
  let gateway: StartedApp;
  let haUrl: string;

  beforeAll(async () => {
    gateway = await startApp('gateway', {
      port: await freePort(),
      env: { ...embeddedDefaultsEnv(), DEPLOYMENT_MODE: 'monolith' },
      healthPath: '/api/v1/health',
    });
    const health = await (await fetch(`${gateway.url}/api/v1/health`)).json();
    haUrl = health.defaults.homeAssistant.url;
  });
  afterAll(() => gateway?.stop());

  /** One question, not streamed: the answer's text. */
  const ask = async (question: string) =>
    (await openaiClient(gateway.url).chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: question }] })).choices[0].message.content ?? '';

  it('reports monolith mode and the embedded defaults in health', async () => {
    const health = await (await fetch(`${gateway.url}/api/v1/health`)).json();
    expect(health.mode).toBe('monolith');
    expect(health.defaults.homeAssistant.embedded).toBe(true);
    expect(health.defaults.llm.embedded).toBe(true);
    expect(health.auth.open).toBe(false);
    expect(Object.values(health.agents).every((a) => (a as { location: string }).location === 'local')).toBe(true);
  });

  it('refuses to start in distributed mode without the service URLs, naming the variable', async () => {
    const start = startApp('gateway', {
      port: await freePort(),
      env: { ...embeddedDefaultsEnv(), DEPLOYMENT_MODE: 'distributed' },
      healthPath: '/api/v1/health',
    });
    await expect(start).rejects.toThrow(/exited \(1\)[\s\S]*ORCHESTRATOR_SERVICE_URL/);
  });

  it('lists aether-offline as the model', async () => {
    const models = await openaiClient(gateway.url).models.list();
    expect(models.data.map((m) => m.id)).toEqual(['aether-offline']);
  });

  it('answers "Analyze my energy usage" (non-stream) with figures that match the raw history', async () => {
    const completion = await openaiClient(gateway.url).chat.completions.create({
      model: 'aether-offline',
      messages: [{ role: 'user', content: ENERGY_QUESTION }],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0].finish_reason).toBe('stop');
    await verifyEnergyAnswer(completion.choices[0].message.content ?? '', haUrl, HA_DEMO_TOKEN);
  });

  it('answers "Analyze my energy usage for the last 7 days" with its charts as Markdown images: the link shows the picture without a key, the bare URL needs the key', async () => {
    const answer = await ask('Analyze my energy usage for the last 7 days');
    await verifyEnergyAnswer(answer, haUrl, HA_DEMO_TOKEN);
    await verifyEnergyCharts(answer, gateway.url);
  });

  it('answers "How much energy did I use yesterday?" for yesterday in the home\'s time zone, midnight to midnight, with figures that match the raw history', async () => {
    const answer = await ask('How much energy did I use yesterday?');
    const report = await verifyEnergyAnswer(answer, haUrl, HA_DEMO_TOKEN);
    const timeZone = await haTimeZone(haUrl, HA_DEMO_TOKEN);
    const today = localMidnight(new Date(), timeZone);
    const yesterday = localMidnight(new Date(today - 12 * 3_600_000), timeZone);
    expect([report.start, report.end]).toEqual([new Date(yesterday).toISOString(), new Date(today).toISOString()]);
  });

  it('answers "Analyze my energy usage for the last 90 days" from hourly long-term statistics where history was purged, with figures that match them', async () => {
    const answer = await ask('Analyze my energy usage for the last 90 days');
    // verifyEnergyAnswer recomputes the statistics part from HA's statistics_during_period and the rest from its history.
    const report = await verifyEnergyAnswer(answer, haUrl, HA_DEMO_TOKEN);
    expect(report.statistics).toBeDefined();
    expect(coveredHours(report)).toBeGreaterThanOrEqual(2159);
    expect(answer).toMatch(/^Monthly totals:$/m);
  });

  it('answers "How much energy did we use this year?" from January 1st in the home\'s time zone, statistics and history, with figures that match them', async () => {
    const answer = await ask('How much energy did we use this year?');
    const report = await verifyEnergyAnswer(answer, haUrl, HA_DEMO_TOKEN);
    const timeZone = await haTimeZone(haUrl, HA_DEMO_TOKEN);
    const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' }).format(new Date()));
    // From statistics, or (in the first days of January) from history alone.
    expect(report.statistics?.start ?? report.start).toBe(new Date(localMidnight(new Date(Date.UTC(year, 0, 1, 12)), timeZone)).toISOString());
  });

  it('answers "How much energy did I use in November?" for the latest November in the home\'s time zone, from statistics and history, with figures that match them', async () => {
    const answer = await ask('How much energy did I use in November?');
    const report = await verifyEnergyAnswer(answer, haUrl, HA_DEMO_TOKEN);
    const timeZone = await haTimeZone(haUrl, HA_DEMO_TOKEN);
    const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(new Date()).split('-').map(Number);
    const novemberYear = month >= 11 ? year : year - 1;
    const first = localMidnight(new Date(Date.UTC(novemberYear, 10, 1, 12)), timeZone);
    const next = localMidnight(new Date(Date.UTC(novemberYear, 11, 1, 12)), timeZone);
    expect(answer).toContain('November');
    expect(report.statistics?.start ?? report.start).toBe(new Date(first).toISOString());
    // Still running in November: it ends now.
    if (month !== 11) expect(report.end).toBe(new Date(next).toISOString());
  });

  it('answers for a month of a given year that history no longer holds ("… in <month> <year>", two months back) from long-term statistics alone, with figures that match them', async () => {
    const timeZone = await haTimeZone(haUrl, HA_DEMO_TOKEN);
    const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(new Date()).split('-').map(Number);
    const asked = new Date(Date.UTC(year, month - 3, 1, 12));
    const name = asked.toLocaleString('en-US', { month: 'long', timeZone: 'UTC' });
    const answer = await ask(`How much energy did I use in ${name} ${asked.getUTCFullYear()}?`);
    const report = await verifyEnergyAnswer(answer, haUrl, HA_DEMO_TOKEN);
    const first = localMidnight(asked, timeZone);
    const next = localMidnight(new Date(Date.UTC(asked.getUTCFullYear(), asked.getUTCMonth() + 1, 1, 12)), timeZone);
    expect(answer).toContain(`${name} ${asked.getUTCFullYear()}`);
    expect(report.statistics?.start).toBe(new Date(first).toISOString());
    expect(report.statistics?.end).toBe(new Date(next).toISOString());
    expect(answer).toMatch(/^Coverage: Home Assistant keeps no history this far back/m);
    // Statistics are readings: no meter is flagged as silent.
    expect(answer).not.toContain('reported no readings');
  });

  it('answers "Does the heat pump run more on cold days?" with the custom analysis: a script run in a sandbox, its finding, and its chart', async () => {
    await verifyCustomAnalysisAnswer(await ask('Does the heat pump run more on cold days?'), gateway.url);
  });

  it('answers "What could I automate?" with the demo home\'s porch-light habit, found by the behavioral analyst, a suggested automation, and each automation\'s runs, changes and overrides as the logbook has them', async () => {
    const completion = await openaiClient(gateway.url).chat.completions.create({
      model: 'aether-offline',
      messages: [{ role: 'user', content: 'What could I automate?' }],
    });
    expect(completion.choices[0].finish_reason).toBe('stop');
    const answer = completion.choices[0].message.content ?? '';
    expect(answer).toContain('**Behavioral Analyst:**');
    expect(answer).toMatch(/\| Porch Light \| light\.porch \| on \| 19:\d\d /);
    await verifyPorchLightAnswer(answer, haUrl, HA_DEMO_TOKEN);
    // Automation effectiveness: every automation line against a count from the raw logbook.
    expect(await verifyAutomationEffects(answer, haUrl, HA_DEMO_TOKEN)).toBeGreaterThanOrEqual(5);
  });

  it('answers "Why is my garage sensor unavailable?" with its nightly outages, found by the diagnostic analyst in HA\'s history', async () => {
    const completion = await openaiClient(gateway.url).chat.completions.create({
      model: 'aether-offline',
      messages: [{ role: 'user', content: GARAGE_QUESTION }],
    });
    expect(completion.choices[0].finish_reason).toBe('stop');
    const answer = completion.choices[0].message.content ?? '';
    expect(answer).toContain('**Diagnostic Analyst:**');
    // The planted integration failure is in the same report, with its error-log lines.
    expect(answer).toMatch(/The roborock integration \(sam@example\.ie\) is not loaded: setup_retry[^\n]*The error log has \d+ lines from /);
    await verifyGarageAnswer(answer, haUrl, HA_DEMO_TOKEN);
  });

  it('streams the same answer incrementally, with progress as reasoning_content', async () => {
    const stream = await openaiClient(gateway.url).chat.completions.create({
      model: 'aether-offline',
      stream: true,
      messages: [{ role: 'user', content: ENERGY_QUESTION }],
    });
    const result = await collectStream(stream);
    expect(result.contentChunks).toBeGreaterThan(5);
    expect(result.finishReason).toBe('stop');
    expect(result.reasoning).toMatch(/Orchestrator → Architect/);
    expect(result.reasoning).toMatch(/energy analyst/i);
    await verifyEnergyAnswer(result.content, haUrl, HA_DEMO_TOKEN);
  });

  describe('bad input gets the right status and an OpenAI error body', () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${API_KEY}`, ...headers },
        body,
      });
    const expectError = async (res: Response, status: number) => {
      expect(res.status).toBe(status);
      const body = await res.json();
      expect(typeof body.error.message).toBe('string');
      expect(typeof body.error.type).toBe('string');
      return body.error as { message: string; type: string; param?: string; code?: string };
    };

    it('malformed JSON → 400', async () => {
      await expectError(await post('{"model": "aether-offline", "messages": ['), 400);
    });
    it('missing messages → 400 naming the field', async () => {
      const error = await expectError(await post(JSON.stringify({ model: 'aether-offline' })), 400);
      expect(error.param ?? error.message).toMatch(/messages/);
    });
    it('wrong types → 400', async () => {
      await expectError(await post(JSON.stringify({ model: 'aether-offline', messages: 'hi', stream: 'yes' })), 400);
    });
    it('unknown agent → 400 listing the valid agents', async () => {
      const error = await expectError(
        await post(JSON.stringify({ model: 'aether-offline', agent: 'knowledge', messages: [{ role: 'user', content: 'hi' }] })),
        400,
      );
      expect(error.message).toMatch(/architect/);
      expect(error.message).toMatch(/auto/);
    });
    it('a 2 MiB body → 413', async () => {
      const huge = 'x'.repeat(2 * 1024 * 1024);
      await expectError(await post(JSON.stringify({ model: 'aether-offline', messages: [{ role: 'user', content: huge }] })), 413);
    });
    it('no key → 401, wrong key → 401', async () => {
      const body = JSON.stringify({ model: 'aether-offline', messages: [{ role: 'user', content: 'hi' }] });
      await expectError(await post(body, { Authorization: '' }), 401);
      await expectError(await post(body, { Authorization: 'Bearer nope' }), 401);
    });
  });
});

/** The instant (epoch ms) of local midnight starting the day `at` falls on in `timeZone`, computed with Intl alone. */
function localMidnight(at: Date, timeZone: string): number {
  const parts = (instant: number) =>
    Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
        .formatToParts(new Date(instant))
        .map((p) => [p.type, Number(p.value)]),
    ) as Record<string, number>;
  const local = parts(at.getTime());
  const guess = Date.UTC(local.year, local.month - 1, local.day);
  // The zone's offset at that moment: shift the UTC midnight by it.
  const seen = parts(guess);
  const offset = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute, seen.second) - guess;
  return guess - offset;
}
