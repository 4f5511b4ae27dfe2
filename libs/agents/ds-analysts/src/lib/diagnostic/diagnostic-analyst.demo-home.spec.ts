import type { AgentEvent } from '@aether/core';
import { createHomeAssistantClient, type HomeAssistantClient } from '@aether/home-assistant';
// The demo home is a test fixture here (a real HA-compatible server on loopback), not a dependency of the agent.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startDemoHome, type RunningDemoHome } from '@aether/ha-demo';
import { LocalClock } from '../energy/local-clock';
import { DiagnosticAnalyst } from './diagnostic-analyst.service';
import type { DiagnosticFinding } from './diagnostic-findings';
import type { DiagnosticFigures } from './diagnostics';

// A pinned clock freezes the house: the window is the 7 days before it (daytime: the garage sensor is back).
const NOW = Date.parse('2026-11-20T14:30:00Z');
const GARAGE = ['sensor.garage_humidity', 'sensor.garage_sensor_battery', 'sensor.garage_temperature'];

describe('the diagnostic analyst on the demo home', () => {
  let demo: RunningDemoHome;
  let ha: HomeAssistantClient;
  let events: AgentEvent[];
  let elapsedMs: number;

  beforeAll(async () => {
    demo = await startDemoHome({ now: () => NOW });
    ha = createHomeAssistantClient({ url: demo.url, token: demo.token, timeoutMs: 30_000 });
    events = [];
    const started = performance.now();
    for await (const event of new DiagnosticAnalyst(ha, () => new Date(NOW)).analyse({ query: 'Why is my garage sensor unavailable?' }, new AbortController().signal)) {
      events.push(event);
    }
    elapsedMs = performance.now() - started;
  }, 120_000);

  afterAll(async () => {
    await ha?.close();
    await demo?.stop();
  });

  const result = () => (events.find((e) => e.type === 'result') as unknown as { data: DiagnosticFigures & { asked: string[]; findings: DiagnosticFinding[] } }).data;
  const report = () => events.map((e) => (e.type === 'token' ? e.content : '')).join('');

  it('resolves "my garage sensor" to the Garage Sensor device and answers with its nightly pattern, counted independently from history', async () => {
    expect(result().asked).toEqual(GARAGE);
    const temperature = result().outages.find((o) => o.entityId === 'sensor.garage_temperature')!;
    expect(temperature.pattern).toBeDefined();
    // Counted independently: the nights (local dates) on which HA's history shows the sensor going unavailable, and the earliest such time.
    const [series] = await ha.getHistory({ start: new Date(NOW - 168 * 3_600_000), end: new Date(NOW), entityIds: ['sensor.garage_temperature'] });
    const clock = new LocalClock('Europe/Dublin');
    const drops = series.filter((s, i) => s.state === 'unavailable' && i > 0 && series[i - 1].state !== 'unavailable').map((s) => Date.parse(s.last_changed));
    expect(drops.length).toBeGreaterThanOrEqual(6);
    expect(temperature.pattern!.days).toBe(new Set(drops.map((at) => clock.at(at).date)).size);
    const earliest = Math.min(...drops.map((at) => Math.floor(clock.minuteOfDay(at))));
    expect(temperature.pattern!.earliestStart).toBe(`${String(Math.floor(earliest / 60)).padStart(2, '0')}:${String(earliest % 60).padStart(2, '0')}`);
    expect(temperature.pattern!.when).toBe('night');
    expect(temperature.state).not.toBe('unavailable');

    const answer = result().findings[0];
    expect(answer.entities).toEqual(GARAGE);
    expect(answer.title).toMatch(/^Garage Sensor drops out every night 0[1-3]:\d\d–0[3-5]:\d\d$/);
    expect(answer.evidence).toMatchObject({ days: temperature.pattern!.days, integration: 'zha', area: 'Garage' });
    // The ZHA warning written as each drop began, on every night the log covers (it starts at HA's weekly restart).
    expect(answer.description).toContain('Device seems unavailable');
    expect(temperature.logLines.outagesLogged).toBeGreaterThan(0);
    expect(temperature.logLines.outagesMatched).toBe(temperature.logLines.outagesLogged);
    expect(report()).toMatch(/^\*\*Answer\*\* \(sensor\.garage_humidity, sensor\.garage_sensor_battery, sensor\.garage_temperature\): Garage Sensor drops out every night/m);
  });

  it('finds the Roborock integration stuck in setup_retry with its error-log lines', async () => {
    const roborock = result().failingIntegrations.find((i) => i.domain === 'roborock')!;
    expect(roborock).toMatchObject({ state: 'setup_retry', reason: 'Timeout while connecting to the Roborock cloud' });
    expect(roborock.entities.length).toBeGreaterThan(0);
    const log = (await ha.getErrorLog())!;
    // Its library's and HA's component loggers, and HA's config-entry retries, counted from the raw text.
    const lines = log.split('\n').filter((l) => /\[(?:roborock\.|homeassistant\.components\.roborock\b)|for roborock integration/.test(l) && / (?:ERROR|WARNING) /.test(l));
    expect(roborock.logLines).toMatchObject({ count: lines.length, sample: expect.stringContaining('Timeout while connecting to the Roborock cloud') });
    expect(lines.length).toBeGreaterThan(0);
    expect(result().findings.find((f) => f.title.startsWith('The roborock integration'))?.description).toContain(`The error log has ${lines.length} lines from roborock.web_api (`);
  });

  it('finds the hallway motion sensor battery running low, with its drain from history', () => {
    const battery = result().lowBatteries.find((b) => b.entityId === 'sensor.hallway_motion_battery')!;
    expect(battery.percent).toBeLessThan(20);
    expect(battery.drainPerDay).toBeGreaterThan(0);
    expect(result().configCheck.result).toBe('valid');
    expect(result().errorLog.available).toBe(true);
  });

  it("finds the heat pump meter's temperature stuck since the house's planted fault, against its changes in history", async () => {
    const stale = result().staleSensors;
    expect(stale.map((s) => s.entityId)).toEqual(['sensor.heat_pump_meter_temperature']);
    // Independently: the last change in HA's own history, and how often it changed before.
    const [series] = await ha.getHistory({ start: new Date(NOW - 7 * 86_400_000), end: new Date(NOW), entityIds: ['sensor.heat_pump_meter_temperature'] });
    const changes = series.filter((point, i) => i === 0 || point.state !== series[i - 1].state);
    const lastChanged = Date.parse(changes.at(-1)!.last_changed);
    expect(stale[0].lastChanged).toBe(new Date(lastChanged).toISOString());
    expect(stale[0].hoursSinceChange).toBeCloseTo((NOW - lastChanged) / 3_600_000, 1);
    expect((NOW - lastChanged) / 3_600_000).toBeGreaterThan(50);
    expect(result().findings).toContainEqual(expect.objectContaining({ type: 'concern', entities: ['sensor.heat_pump_meter_temperature'] }));
  });

  it('runs in well under the e2e budget', () => {
    // Measured: reads states, registries, error log and a week of history of every entity.
    expect(elapsedMs).toBeLessThan(30_000);
    process.stdout.write(`diagnostic analysis on the demo home: ${Math.round(elapsedMs)} ms\n`);
  });
});

describe('the diagnostic analyst asked about something the home does not have', () => {
  it('says no entity or device is called that, instead of answering about another', async () => {
    const demo = await startDemoHome({ now: () => NOW });
    const ha = createHomeAssistantClient({ url: demo.url, token: demo.token, timeoutMs: 30_000 });
    try {
      const events: AgentEvent[] = [];
      for await (const event of new DiagnosticAnalyst(ha, () => new Date(NOW)).analyse({ query: 'Why is the flux capacitor offline?', hours: 24 }, new AbortController().signal)) {
        events.push(event);
      }
      const report = events.map((e) => (e.type === 'token' ? e.content : '')).join('');
      expect(report).toContain('**Answer**: no entity or device in Home Assistant is called "flux capacitor"');
      expect((events.find((e) => e.type === 'result') as unknown as { data: { asked: string[] } }).data.asked).toEqual([]);
    } finally {
      await ha.close();
      await demo.stop();
    }
  }, 60_000);
});

describe('the diagnostic analyst on a Supervised install (no /api/error_log)', () => {
  it('says in its answer that the error log is not available, and still finds the outages and the failing integration', async () => {
    const demo = await startDemoHome({ now: () => NOW, installationType: 'supervised' });
    const ha = createHomeAssistantClient({ url: demo.url, token: demo.token, timeoutMs: 30_000 });
    try {
      expect(await ha.getErrorLog()).toBeNull();
      const events: AgentEvent[] = [];
      for await (const event of new DiagnosticAnalyst(ha, () => new Date(NOW)).analyse({ query: 'Why is my garage sensor unavailable?' }, new AbortController().signal)) {
        events.push(event);
      }
      const report = events.map((e) => (e.type === 'token' ? e.content : '')).join('');
      expect(report).toContain('The error log is not available');
      expect(report).toContain('Supervised and HA OS installs keep it in the Supervisor');
      const data = (events.find((e) => e.type === 'result') as unknown as { data: DiagnosticFigures & { findings: DiagnosticFinding[] } }).data;
      expect(data.errorLog.available).toBe(false);
      expect(data.findings.some((f) => f.title.startsWith('The roborock integration'))).toBe(true);
      expect(report).toMatch(/Garage Sensor drops out every night/);
    } finally {
      await ha.close();
      await demo.stop();
    }
  }, 60_000);
});

describe('the diagnostic analyst with a token whose user is not an administrator (the error log is admin-only)', () => {
  it('says in its answer why the error log is missing, and still finds the outages and the failing integration', async () => {
    const demo = await startDemoHome({ now: () => NOW, admin: false });
    const ha = createHomeAssistantClient({ url: demo.url, token: demo.token, timeoutMs: 30_000 });
    try {
      await expect(ha.getErrorLog()).rejects.toMatchObject({ kind: 'auth', status: 401 });
      const events: AgentEvent[] = [];
      for await (const event of new DiagnosticAnalyst(ha, () => new Date(NOW)).analyse({ query: 'Why is my garage sensor unavailable?' }, new AbortController().signal)) {
        events.push(event);
      }
      const report = events.map((e) => (e.type === 'token' ? e.content : '')).join('');
      expect(report).toContain("Error log: not available (the HA token's user is not an administrator)");
      const data = (events.find((e) => e.type === 'result') as unknown as { data: DiagnosticFigures & { findings: DiagnosticFinding[] } }).data;
      expect(data.errorLog).toMatchObject({ available: false, unavailable: "the HA token's user is not an administrator" });
      expect(data.findings.some((f) => f.title === 'The error log is not available')).toBe(true);
      expect(report).toMatch(/Garage Sensor drops out every night/);
    } finally {
      await ha.close();
      await demo.stop();
    }
  }, 60_000);
});
