/**
 * Independent check of the energy analyst: reads the report the user got, then recomputes every
 * figure from Home Assistant's raw history API for exactly the window the report states — plus,
 * when the report says history fell short, HA's hourly long-term statistics for the period it names.
 */
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
  const socket = new WebSocket(`${haUrl.replace(/^http/, 'ws')}/api/websocket`);
  try {
    const result = await new Promise<Record<string, Array<{ change?: number | null }>>>((resolve, reject) => {
      socket.onerror = () => reject(new Error('statistics WebSocket failed'));
      socket.onmessage = (message) => {
        const data = JSON.parse(String(message.data)) as { type: string; success?: boolean; result?: Record<string, Array<{ change?: number | null }>>; error?: unknown };
        if (data.type === 'auth_required') socket.send(JSON.stringify({ type: 'auth', access_token: token }));
        else if (data.type === 'auth_ok') {
          socket.send(JSON.stringify({ id: 1, type: 'recorder/statistics_during_period', start_time: start, end_time: end, statistic_ids: statisticIds, period: 'hour', types: ['change'], units: { energy: 'kWh' } }));
        } else if (data.type === 'result') {
          if (data.success && data.result) resolve(data.result);
          else reject(new Error(`statistics refused: ${JSON.stringify(data.error)}`));
        } else if (data.type === 'auth_invalid') reject(new Error('statistics auth refused'));
      };
    });
    return Object.fromEntries(statisticIds.map((id) => [id, (result[id] ?? []).reduce((kwh, row) => kwh + (row.change ?? 0), 0)]));
  } finally {
    socket.close();
  }
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
  const url = `${haUrl}/api/history/period/${encodeURIComponent(start)}?filter_entity_id=${entityIds.join(',')}&end_time=${encodeURIComponent(end)}&minimal_response&no_attributes`;
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`history request failed: ${res.status} ${await res.text()}`);
  const series = (await res.json()) as Array<Array<{ entity_id?: string; state: string }>>;
  const result: Record<string, number> = {};
  series.forEach((states, i) => {
    const id = states[0]?.entity_id ?? entityIds[i];
    let kwh = 0;
    let previous: number | undefined;
    for (const { state } of states) {
      const value = Number(state);
      if (!Number.isFinite(value) || state.trim() === '' || value < 0) continue;
      if (previous !== undefined) kwh += value >= previous * 0.9 ? value - previous : value;
      previous = value;
    }
    result[id] = kwh;
  });
  return result;
}

/** Within 0.1 %, or half a unit of the third decimal the report prints. */
export function expectKwhClose(reported: number, computed: number): void {
  const tolerance = Math.max(computed * 0.001, 0.0005 + 1e-9);
  if (Math.abs(reported - computed) > tolerance) {
    throw new Error(`reported ${reported} kWh, independent computation ${computed} kWh (tolerance ${tolerance})`);
  }
}

/** The demo home's grid import, grid export and solar meters, and its import price (its Energy configuration). */
const DEMO_BALANCE_METERS = ['sensor.mains_energy', 'sensor.grid_export_energy', 'sensor.solar_energy'];
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
  // configuration (grid import and export, solar): import − export + production.
  for (const meter of DEMO_BALANCE_METERS) expect(report.sensors.map((s) => s.entityId)).toContain(meter);
  expectKwhClose(report.totalKwh, computed['sensor.mains_energy'] - computed['sensor.grid_export_energy'] + computed['sensor.solar_energy']);
  // Its grid import priced at the configuration's fixed price (no export compensation configured), to the cent.
  const cost = /^Cost: (\d+\.\d\d) EUR for grid import/m.exec(answer);
  expect(cost).not.toBeNull();
  const expectedCost = computed['sensor.mains_energy'] * DEMO_IMPORT_PRICE_EUR_PER_KWH;
  expect(Math.abs(Number(cost![1]) - expectedCost)).toBeLessThanOrEqual(0.005 + expectedCost * 0.001);
  return report;
}
