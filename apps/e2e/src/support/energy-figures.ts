/**
 * Independent check of the energy analyst: reads the report the user got, then recomputes every
 * figure from Home Assistant's raw history API for exactly the window the report states — plus,
 * when the report says history fell short, HA's hourly long-term statistics for the period it names.
 */
import { haTimeZone } from './ha-config';

export interface ReportedEnergy {
  start: string;
  end: string;
  /** The "Statistics:" line: the hourly long-term statistics counted before `start`. */
  statistics?: { start: string; end: string };
  totalKwh: number;
  sensors: Array<{ name: string; entityId: string; kwh: number }>;
}

/** The hours a report's figures cover: history's window, and before it the long-term statistics where HA purged history. */
export function coveredHours(report: ReportedEnergy): number {
  return Math.round((Date.parse(report.end) - Date.parse(report.statistics?.start ?? report.start)) / 3_600_000);
}

export function parseEnergyReport(text: string): ReportedEnergy {
  const window = /Window:\s*(\S+)\s*→\s*(\S+)/.exec(text);
  if (!window) throw new Error(`no "Window:" line in the answer:\n${text}`);
  const total = /Total:\s*([\d.]+)\s*kWh/.exec(text);
  if (!total) throw new Error(`no "Total:" line in the answer:\n${text}`);
  const sensors: ReportedEnergy['sensors'] = [];
  const lines = text.split('\n');
  const header = lines.findIndex((l) => /^\|\s*Sensor\s*\|\s*Entity\s*\|\s*kWh\s*\|\s*Share\s*\|/.test(l.trim()));
  if (header < 0) throw new Error(`no sensor table in the answer:\n${text}`);
  for (const line of lines.slice(header + 2)) {
    const cells = line.trim().split('|').slice(1, -1).map((c) => c.trim());
    if (cells.length < 4) break;
    const entityId = cells[1].replace(/`/g, '');
    sensors.push({ name: cells[0], entityId, kwh: Number(cells[2]) });
  }
  const statistics = /^Statistics:\s*(\S+)\s*→\s*(\S+)/m.exec(text);
  return { start: window[1], end: window[2], ...(statistics ? { statistics: { start: statistics[1], end: statistics[2] } } : {}), totalKwh: Number(total[1]), sensors };
}

/**
 * kWh per statistic id in [start, end) from HA's WebSocket `recorder/statistics_during_period`
 * (hourly `change`, in kWh), read with nothing but the platform's WebSocket.
 */
export async function computeKwhFromStatistics(haUrl: string, token: string, statisticIds: string[], start: string, end: string): Promise<Record<string, number>> {
  const result = await statisticsRows(haUrl, token, statisticIds, start, end);
  return Object.fromEntries(statisticIds.map((id) => [id, (result[id] ?? []).reduce((kwh, row) => kwh + (row.change ?? 0), 0)]));
}

/** HA's hourly `change` rows (kWh) per statistic id in [start, end), over its WebSocket API. */
function statisticsRows(haUrl: string, token: string, statisticIds: string[], start: string, end: string): Promise<Record<string, Array<{ start: number; change?: number | null }>>> {
  return haStatistics(haUrl, token, { statistic_ids: statisticIds, start_time: start, end_time: end, period: 'hour', types: ['change'], units: { energy: 'kWh' } });
}

/** `recorder/statistics_during_period` as HA answers it, read with nothing but the platform's WebSocket. */
export async function haStatistics(haUrl: string, token: string, query: Record<string, unknown>): Promise<Record<string, Array<{ start: number; end: number; change?: number | null; mean?: number | null }>>> {
  const socket = new WebSocket(`${haUrl.replace(/^http/, 'ws')}/api/websocket`);
  try {
    return await new Promise((resolve, reject) => {
      socket.onerror = () => reject(new Error('statistics WebSocket failed'));
      socket.onmessage = (message) => {
        const data = JSON.parse(String(message.data)) as { type: string; success?: boolean; result?: Record<string, Array<{ start: number; end: number; change?: number | null; mean?: number | null }>>; error?: unknown };
        if (data.type === 'auth_required') socket.send(JSON.stringify({ type: 'auth', access_token: token }));
        else if (data.type === 'auth_ok') socket.send(JSON.stringify({ id: 1, type: 'recorder/statistics_during_period', ...query }));
        else if (data.type === 'result') {
          if (data.success && data.result) resolve(data.result);
          else reject(new Error(`statistics refused: ${JSON.stringify(data.error)}`));
        } else if (data.type === 'auth_invalid') reject(new Error('statistics auth refused'));
      };
    });
  } finally {
    socket.close();
  }
}

interface Delta {
  at: number;
  kwh: number;
}

/** Each reading's change per entity in [start, end], from HA's `/api/history/period`, by HA's rule (see computeKwhFromHistory). */
async function historyDeltas(haUrl: string, token: string, entityIds: string[], start: string, end: string): Promise<Record<string, Delta[]>> {
  const url = `${haUrl}/api/history/period/${encodeURIComponent(start)}?filter_entity_id=${entityIds.join(',')}&end_time=${encodeURIComponent(end)}&minimal_response&no_attributes`;
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`history request failed: ${res.status} ${await res.text()}`);
  const series = (await res.json()) as Array<Array<{ entity_id?: string; state: string; last_changed: string }>>;
  const result: Record<string, Delta[]> = {};
  series.forEach((states, i) => {
    const deltas: Delta[] = [];
    let previous: number | undefined;
    for (const { state, last_changed } of states) {
      const value = Number(state);
      if (!Number.isFinite(value) || state.trim() === '' || value < 0) continue;
      if (previous !== undefined) deltas.push({ at: Date.parse(last_changed), kwh: value >= previous * 0.9 ? value - previous : value });
      previous = value;
    }
    result[states[0]?.entity_id ?? entityIds[i]] = deltas;
  });
  return result;
}

/**
 * The report's daily (or monthly) totals, peak hour and night baseload, recomputed from HA's raw
 * history (and statistics where the report used them) of the demo's grid import, export, solar and
 * battery meters, in HA's time zone by Intl: home consumption per reading, summed per local day and clock hour.
 */
async function verifyEnergyTimeline(answer: string, report: ReportedEnergy, haUrl: string, token: string): Promise<void> {
  const timeZone = await haTimeZone(haUrl, token);
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit' });
  const local = (at: number) => {
    const p = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, part.value]));
    return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour) };
  };
  const deltas: Delta[] = [];
  const fromHistory = await historyDeltas(haUrl, token, DEMO_BALANCE_METERS, report.start, report.end);
  for (const id of DEMO_BALANCE_METERS) for (const d of fromHistory[id] ?? []) deltas.push({ at: d.at, kwh: DEMO_BALANCE_SIGN[id] * d.kwh });
  if (report.statistics) {
    const rows = await statisticsRows(haUrl, token, DEMO_BALANCE_METERS, report.statistics.start, report.statistics.end);
    for (const id of DEMO_BALANCE_METERS) for (const row of rows[id] ?? []) deltas.push({ at: row.start, kwh: DEMO_BALANCE_SIGN[id] * (row.change ?? 0) });
  }
  const daily = new Map<string, number>();
  const hourly = new Map<string, { date: string; hour: number; kwh: number }>();
  for (const d of deltas) {
    const { date, hour } = local(d.at);
    daily.set(date, (daily.get(date) ?? 0) + d.kwh);
    const key = `${date}T${hour}`;
    const bucket = hourly.get(key) ?? { date, hour, kwh: 0 };
    bucket.kwh += d.kwh;
    hourly.set(key, bucket);
  }

  const monthly = /^Monthly totals:$/m.test(answer);
  const totals = new Map<string, number>();
  for (const [date, kwh] of daily) totals.set(monthly ? date.slice(0, 7) : date, (totals.get(monthly ? date.slice(0, 7) : date) ?? 0) + kwh);
  const reported = [...answer.matchAll(/^- (\d{4}-\d\d(?:-\d\d)?): ([\d.-]+) kWh$/gm)].map((m) => [m[1], Number(m[2])] as const);
  expect(reported.map(([key]) => key)).toEqual([...totals.keys()].sort());
  for (const [key, kwh] of reported) expectKwhClose(kwh, totals.get(key) ?? NaN);

  let peak: { date: string; hour: number; kwh: number } | undefined;
  for (const bucket of hourly.values()) {
    if (bucket.kwh > 0 && (!peak || bucket.kwh > peak.kwh || (bucket.kwh === peak.kwh && `${bucket.date}T${String(bucket.hour).padStart(2, '0')}` < `${peak.date}T${String(peak.hour).padStart(2, '0')}`))) peak = bucket;
  }
  const peakLine = /^Peak hour: (\d\d):00–\d\d:00 on (\d{4}-\d\d-\d\d) \(([\d.]+) kWh\)$/m.exec(answer);
  expect(peakLine).not.toBeNull();
  expect([Number(peakLine![1]), peakLine![2]]).toEqual([peak!.hour, peak!.date]);
  expectKwhClose(Number(peakLine![3]), peak!.kwh);

  // The quietest full local clock hour between 00:00 and 05:00 over the span the figures cover.
  const spanStart = Date.parse(report.statistics?.start ?? report.start);
  const night: number[] = [];
  for (let hourStart = Math.ceil(spanStart / 3_600_000) * 3_600_000; hourStart + 3_600_000 <= Date.parse(report.end); hourStart += 3_600_000) {
    const { date, hour } = local(hourStart);
    if (hour < 5) night.push(hourly.get(`${date}T${hour}`)?.kwh ?? 0);
  }
  const baseload = /^Night baseload \(quietest hour 00:00–05:00\): ([\d.]+) kW$/m.exec(answer);
  if (night.length === 0) return;
  expect(baseload).not.toBeNull();
  expectKwhClose(Number(baseload![1]), Math.min(...night));
}

/**
 * kWh consumed per entity in [start, end], from HA's `/api/history/period`, summed as HA's recorder
 * sums `total_increasing` sensors: a drop below 90 % of the previous reading is a meter reset and
 * the new reading counts from zero; a smaller dip is a negative change (a dip and its recovery net out).
 */
export async function computeKwhFromHistory(
  haUrl: string,
  token: string,
  entityIds: string[],
  start: string,
  end: string,
): Promise<Record<string, number>> {
  const deltas = await historyDeltas(haUrl, token, entityIds, start, end);
  return Object.fromEntries(Object.entries(deltas).map(([id, list]) => [id, list.reduce((kwh, d) => kwh + d.kwh, 0)]));
}

/** Within 0.1 %, or half a unit of the third decimal the report prints. */
export function expectKwhClose(reported: number, computed: number): void {
  const tolerance = Math.max(computed * 0.001, 0.0005 + 1e-9);
  if (Math.abs(reported - computed) > tolerance) {
    throw new Error(`reported ${reported} kWh, independent computation ${computed} kWh (tolerance ${tolerance})`);
  }
}

/** The demo home's grid import, grid export and solar meters, and its import price (its Energy configuration). */
/** The demo's Energy configuration: grid import and export, solar, the home battery out and in; each meter's sign in home consumption. */
const DEMO_BALANCE_SIGN: Record<string, number> = {
  'sensor.mains_energy': 1,
  'sensor.grid_export_energy': -1,
  'sensor.solar_energy': 1,
  'sensor.home_battery_energy_out': 1,
  'sensor.home_battery_energy_in': -1,
};
const DEMO_BALANCE_METERS = Object.keys(DEMO_BALANCE_SIGN);
const DEMO_IMPORT_PRICE_EUR_PER_KWH = 0.3516;

/** Checks a full answer against the raw history; returns the parsed report. */
export async function verifyEnergyAnswer(answer: string, haUrl: string, token: string): Promise<ReportedEnergy> {
  const report = parseEnergyReport(answer);
  expect(report.sensors.length).toBeGreaterThanOrEqual(9);
  const entityIds = report.sensors.map((s) => s.entityId);
  const computed = await computeKwhFromHistory(haUrl, token, entityIds, report.start, report.end);
  if (report.statistics) {
    const before = await computeKwhFromStatistics(haUrl, token, entityIds, report.statistics.start, report.statistics.end);
    for (const id of entityIds) computed[id] = (computed[id] ?? 0) + before[id];
  }
  for (const sensor of report.sensors) {
    expect(computed[sensor.entityId]).toBeDefined();
    expectKwhClose(sensor.kwh, computed[sensor.entityId]);
  }
  // Home consumption as Home Assistant's Energy dashboard counts it, from the demo's Energy
  // configuration: import − export + production + battery out − battery in.
  for (const meter of DEMO_BALANCE_METERS) expect(report.sensors.map((s) => s.entityId)).toContain(meter);
  expectKwhClose(report.totalKwh, DEMO_BALANCE_METERS.reduce((kwh, meter) => kwh + DEMO_BALANCE_SIGN[meter] * computed[meter], 0));
  // Its grid import priced at the configuration's fixed price (no export compensation configured), to the cent.
  const cost = /^Cost: (\d+\.\d\d) EUR for grid import/m.exec(answer);
  expect(cost).not.toBeNull();
  const expectedCost = computed['sensor.mains_energy'] * DEMO_IMPORT_PRICE_EUR_PER_KWH;
  expect(Math.abs(Number(cost![1]) - expectedCost)).toBeLessThanOrEqual(0.005 + expectedCost * 0.001);
  await verifyEnergyTimeline(answer, report, haUrl, token);
  return report;
}
