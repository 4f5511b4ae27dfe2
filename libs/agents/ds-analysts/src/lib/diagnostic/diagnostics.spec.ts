import type { HaConfigEntry, HaDeviceRegistryEntry, HaEntityRegistryEntry, HaEntityState, HaHistoryState } from '@aether/home-assistant';
import { deriveDiagnosticFindings } from './diagnostic-findings';
import { computeDiagnostics, outagesOf, parseErrorLog, resolveNamedEntities, type DiagnosticInput } from './diagnostics';

// UTC keeps local times readable: the window is the 7 days before END.
const END = Date.parse('2026-03-08T12:00:00Z');
const START = END - 7 * 86_400_000;
const at = (day: number, hhmm: string) => Date.parse(`2026-03-0${day}T${hhmm}:00Z`);
const iso = (ms: number) => new Date(ms).toISOString();

const state = (entity_id: string, value: string, friendly_name: string, extra: Record<string, unknown> = {}, lastChanged = END - 3_600_000): HaEntityState => ({
  entity_id,
  state: value,
  attributes: { friendly_name, ...extra },
  last_changed: iso(lastChanged),
  last_updated: iso(lastChanged),
});
const entity = (entity_id: string, device_id: string | null, platform: string, config_entry_id: string | null = null): HaEntityRegistryEntry =>
  ({ entity_id, id: entity_id, platform, config_entry_id, device_id, area_id: null, name: null, icon: null, disabled_by: null, hidden_by: null, entity_category: null, has_entity_name: false, labels: [] }) as HaEntityRegistryEntry;
const device = (id: string, name: string, area_id: string): HaDeviceRegistryEntry =>
  ({ id, name, name_by_user: null, manufacturer: null, model: null, sw_version: null, hw_version: null, area_id, config_entries: [], connections: [], identifiers: [], via_device_id: null, disabled_by: null, entry_type: null, labels: [] }) as HaDeviceRegistryEntry;
const entry = (entry_id: string, domain: string, state: HaConfigEntry['state'], reason: string | null = null): HaConfigEntry =>
  ({ entry_id, domain, title: `${domain} account`, source: 'user', state, disabled_by: null, reason }) as HaConfigEntry;

/** A series that drops to unavailable on the given days between `from` and `to`. */
function nightlyDrops(entityId: string, days: number[], from: (day: number) => string, to: (day: number) => string): HaHistoryState[] {
  const series: HaHistoryState[] = [{ entity_id: entityId, state: '5.0', last_changed: iso(START) }];
  for (const day of days) {
    series.push({ state: 'unavailable', last_changed: iso(at(day, from(day))) }, { state: '5.1', last_changed: iso(at(day, to(day))) });
  }
  return series;
}

const base = (overrides: Partial<DiagnosticInput> = {}): DiagnosticInput => ({
  states: [state('sensor.shed_temperature', '6.2', 'Shed Temperature'), state('sensor.shed_humidity', '80', 'Shed Humidity')],
  entityRegistry: [entity('sensor.shed_temperature', 'shed_sensor', 'zha'), entity('sensor.shed_humidity', 'shed_sensor', 'zha')],
  deviceRegistry: [device('shed_sensor', 'Shed Sensor', 'shed')],
  areaRegistry: [{ area_id: 'shed', name: 'Shed', floor_id: null, icon: null, picture: null } as DiagnosticInput['areaRegistry'][number]],
  configEntries: [],
  errorLog: '',
  configCheck: { result: 'valid', errors: null, warnings: null },
  history: [
    nightlyDrops('sensor.shed_temperature', [2, 3, 4, 5, 6, 7], (d) => `01:0${d}`, (d) => `05:${20 + d}`),
    nightlyDrops('sensor.shed_humidity', [2, 3, 4, 5, 6, 7], (d) => `01:0${d}`, (d) => `05:${20 + d}`),
  ],
  start: START,
  end: END,
  timeZone: 'UTC',
  ...overrides,
});

describe('diagnostics', () => {
  it('computes the nightly pattern of an entity from its history: nights, earliest start, latest end, medians', () => {
    const figures = computeDiagnostics(base());
    const shed = figures.outages.find((o) => o.entityId === 'sensor.shed_temperature')!;
    expect(shed.pattern).toEqual({
      when: 'night',
      days: 6,
      windowDays: 7,
      earliestStart: '01:02',
      latestEnd: '05:27',
      medianStart: '01:04',
      medianEnd: '05:24',
      // Each night from 01:0d to 05:2d: 4 h 20 min.
      averageMinutes: 260,
    });
    expect(shed).toMatchObject({ down: false, deviceName: 'Shed Sensor', area: 'Shed', integration: 'zha' });
    expect(shed.outages).toHaveLength(6);
  });

  it('groups entities of one device that drop together into one finding about the device', () => {
    const figures = computeDiagnostics(base());
    expect(figures.commonCauses).toEqual([{ kind: 'device', id: 'shed_sensor', name: 'Shed Sensor', entities: ['sensor.shed_humidity', 'sensor.shed_temperature'], of: 2, together: 1 }]);
    const [finding] = deriveDiagnosticFindings(figures, []);
    expect(finding).toMatchObject({
      specialist: 'diagnostic',
      type: 'concern',
      title: 'Shed Sensor drops out every night 01:02–05:27',
      entities: ['sensor.shed_humidity', 'sensor.shed_temperature'],
      evidence: { days: 6, windowDays: 7, earliestStart: '01:02', latestEnd: '05:27', integration: 'zha', area: 'Shed' },
    });
    expect(finding.description).toContain('It was unavailable on 6 of the last 7 nights, between 01:02 and 05:27');
  });

  it('finds no pattern in outages at scattered times of day, and reports them as outages', () => {
    const times: Record<number, [string, string]> = { 2: ['01:00', '01:30'], 4: ['09:00', '09:30'], 6: ['17:00', '17:30'] };
    const scattered = nightlyDrops('sensor.shed_temperature', [2, 4, 6], (d) => times[d][0], (d) => times[d][1]);
    const figures = computeDiagnostics(base({ history: [scattered] }));
    const shed = figures.outages.find((o) => o.entityId === 'sensor.shed_temperature')!;
    expect(shed.pattern).toBeUndefined();
    expect(shed.totalMinutes).toBe(90);
    expect(deriveDiagnosticFindings(figures, [])[0].title).toBe('Shed Temperature was unavailable 3 times');
  });

  it('keeps an outage that crosses midnight in one pattern', () => {
    const late = nightlyDrops('sensor.shed_temperature', [2, 3, 4, 5], (d) => (d % 2 ? '23:50' : '00:10'), (d) => (d % 2 ? '23:59' : '00:40'));
    const pattern = computeDiagnostics(base({ history: [late] })).outages[0].pattern!;
    expect(pattern).toMatchObject({ when: 'night', days: 4, earliestStart: '23:50', latestEnd: '00:40' });
  });

  it('does not count a scene never activated or a button never pressed (unknown by design) as a fault', () => {
    const figures = computeDiagnostics(base({ states: [...base().states, state('scene.relax', 'unknown', 'Relax'), state('sensor.attic', 'unknown', 'Attic')] }));
    expect(figures.unknownNow).toBe(1);
    expect(figures.outages.map((o) => o.entityId)).not.toContain('scene.relax');
    expect(figures.outages.map((o) => o.entityId)).toContain('sensor.attic');
  });

  it('clips outages to the window and flags one already running when it began', () => {
    const points = [
      { state: 'unavailable', at: START },
      { state: '1', at: START + 60_000 },
      { state: 'unknown', at: END - 60_000 },
    ];
    expect(outagesOf(points, START, END)).toEqual([
      { from: START, to: START + 60_000, startedBeforeWindow: true },
      { from: END - 60_000, startedBeforeWindow: false },
    ]);
  });

  it('finds an integration in setup_retry with its own log lines and HA’s config-entry lines, and says when the error log is absent', () => {
    const log = [
      '2026-03-08 10:00:01.123 ERROR (MainThread) [roborock.web_api] Timeout while connecting',
      '2026-03-08 10:00:02.000 WARNING (MainThread) [homeassistant.config_entries] Config entry \'x\' for roborock integration not ready yet: Timeout; Retrying in background',
      '2026-03-08 10:05:00.000 ERROR (MainThread) [homeassistant.components.met] Cannot connect',
      '  Traceback line that is not a log line',
      '2026-03-08 11:00:01.000 ERROR (MainThread) [roborock.web_api] Timeout while connecting',
    ].join('\n');
    expect(parseErrorLog(log)).toHaveLength(4);
    const input = base({
      configEntries: [entry('e1', 'roborock', 'setup_retry', 'Timeout'), entry('e2', 'met', 'loaded')],
      entityRegistry: [...base().entityRegistry, entity('vacuum.rocky', null, 'roborock', 'e1')],
      errorLog: log,
    });
    const [failing] = computeDiagnostics(input).failingIntegrations;
    expect(failing).toEqual({
      entryId: 'e1',
      domain: 'roborock',
      title: 'roborock account',
      state: 'setup_retry',
      reason: 'Timeout',
      entities: ['vacuum.rocky'],
      logLines: { count: 3, first: '2026-03-08 10:00:01', last: '2026-03-08 11:00:01', sample: 'Timeout while connecting', logger: 'roborock.web_api' },
    });
    const withoutLog = computeDiagnostics({ ...input, errorLog: null });
    expect(withoutLog.failingIntegrations[0].logLines).toBeNull();
    const findings = deriveDiagnosticFindings(withoutLog, []);
    expect(findings.find((f) => f.title.startsWith('The roborock integration'))!.description).toContain('The error log is not available (Supervised and HA OS installs keep it in the Supervisor), so no log lines are quoted.');
    expect(findings.at(-1)).toMatchObject({ type: 'data_quality_flag', title: 'The error log is not available' });
  });

  it('matches the log lines written as each outage began', () => {
    const log = [2, 3, 4].map((d) => `2026-03-0${d} 01:0${d}:20.000 WARNING (MainThread) [homeassistant.components.zha.core.device] [0x9A3C](lumi.weather): Device seems unavailable`).join('\n');
    const shed = computeDiagnostics(base({ errorLog: log })).outages.find((o) => o.entityId === 'sensor.shed_temperature')!;
    // The log (since the restart before its first line) covers the outages from the 2nd on: 3 of those 6 have a line.
    expect(shed.logLines).toEqual({ count: 3, outagesMatched: 3, outagesLogged: 6, sample: '[0x9A3C](lumi.weather): Device seems unavailable', logger: 'homeassistant.components.zha.core.device' });
  });

  it('finds a stale sensor only where history shows it normally changes', () => {
    // Hourly changes from START + 1 h until 30 h before END: 137 changes in 5.75 days.
    const lastChanged = END - 30 * 3_600_000;
    const changing: HaHistoryState[] = [{ entity_id: 'sensor.cellar', state: '10', last_changed: iso(START) }];
    for (let t = START + 3_600_000; t < lastChanged; t += 3_600_000) changing.push({ state: String(10 + (t % 7)), last_changed: iso(t) });
    const figures = computeDiagnostics(
      base({
        states: [
          state('sensor.cellar', '11', 'Cellar Temperature', { device_class: 'temperature' }, lastChanged),
          state('sensor.firmware', '1.2', 'Firmware', {}, lastChanged),
          // A power sensor may rightly stay flat (the appliance is off): not stale however often it changed before.
          state('sensor.washer_power', '1', 'Washer Power', { device_class: 'power' }, lastChanged),
        ],
        history: [changing, [{ entity_id: 'sensor.firmware', state: '1.2', last_changed: iso(START) }], changing.map((p, i) => (i === 0 ? { ...p, entity_id: 'sensor.washer_power' } : p))],
      }),
    );
    expect(figures.staleSensors).toEqual([
      { entityId: 'sensor.cellar', name: 'Cellar Temperature', state: '11', lastChanged: iso(lastChanged), hoursSinceChange: 30, changesPerDayBefore: 23.8 },
    ]);
  });

  it('finds low batteries with their drain per day', () => {
    const figures = computeDiagnostics(
      base({
        states: [
          state('sensor.hall_battery', '12', 'Hall Battery', { device_class: 'battery', unit_of_measurement: '%' }),
          state('sensor.door_battery', '80', 'Door Battery', { device_class: 'battery', unit_of_measurement: '%' }),
          state('binary_sensor.smoke_battery', 'on', 'Smoke Battery', { device_class: 'battery' }),
        ],
        history: [[{ entity_id: 'sensor.hall_battery', state: '19', last_changed: iso(START) }, { state: '12', last_changed: iso(END - 1000) }]],
      }),
    );
    expect(figures.lowBatteries).toEqual([
      { entityId: 'binary_sensor.smoke_battery', name: 'Smoke Battery', percent: null },
      { entityId: 'sensor.hall_battery', name: 'Hall Battery', percent: 12, drainPerDay: 1, daysLeft: 12 },
    ]);
  });

  it('reports a failing config check, and one that could not run', () => {
    const invalid = computeDiagnostics(base({ configCheck: { result: 'invalid', errors: 'Integration error: foo', warnings: null } }));
    expect(deriveDiagnosticFindings(invalid, []).find((f) => f.title === 'The configuration check fails')!.evidence).toEqual({ result: 'invalid', errors: 'Integration error: foo', warnings: null });
    expect(computeDiagnostics(base({ configCheck: null, configCheckFailure: 'HTTP 404' })).configCheck).toEqual({ result: 'not_checked', errors: null, warnings: null, failure: 'HTTP 404' });
  });

  it('resolves a named entity through device names first, then friendly names, and puts its finding first', () => {
    const { states, entityRegistry, deviceRegistry } = base();
    expect(resolveNamedEntities('Why is my shed sensor unavailable?', states, entityRegistry, deviceRegistry)).toEqual(['sensor.shed_humidity', 'sensor.shed_temperature']);
    expect(resolveNamedEntities('why is the shed humidity not working', states, entityRegistry, deviceRegistry)).toEqual(['sensor.shed_humidity']);
    expect(resolveNamedEntities('Why is the kitchen light offline?', states, entityRegistry, deviceRegistry)).toEqual([]);
    expect(resolveNamedEntities('Why is it unavailable?', states, entityRegistry, deviceRegistry)).toEqual([]);

    const input = base({
      states: [...base().states, state('sensor.attic', 'unavailable', 'Attic Temperature')],
      history: [...base().history],
    });
    const findings = deriveDiagnosticFindings(computeDiagnostics(input), ['sensor.attic']);
    expect(findings[0]).toMatchObject({ title: 'Attic Temperature is unavailable', entities: ['sensor.attic'] });
  });
});
