import type { Finding } from '@aether/core';
import { figuresHours } from './energy-findings';
import type { EnergySensorRole, SkippedSensor } from './energy-sensors';
import type { EnergyBalance, EnergyCost, EnergyFigures } from './energy-statistics';

/**
 * The energy report is read by people AND parsed by tests and tools (the end-to-end test checks
 * the figures against Home Assistant's history). These lines are a contract: change them only
 * together with `parseEnergyReport` and its spec.
 *
 *   Window: <start ISO> → <end ISO> (<hours> h)      the exact instants of the history query
 *   Statistics: <start ISO> → <end ISO> (<hours> h)  only when history fell short: the hourly
 *                                                     long-term statistics counted before it
 *   Total: <x.xxx> kWh                               home consumption (HA's energy balance, else the devices' sum)
 *   | Sensor | Entity | kWh | Share |                one row per meter (grid, production, battery, devices)
 *   Cost: <x.xx> <currency> …                        when the Energy configuration prices the grid
 */
/** Beyond two months of days, totals are listed per month. */
export const MAX_DAILY_LINES = 62;

export const ENERGY_REPORT_TABLE_HEADER = '| Sensor | Entity | kWh | Share |';
export const ENERGY_REPORT_PATTERNS = {
  window: /^Window: (\S+) → (\S+) \((\d+(?:\.\d+)?) h\)$/m,
  statistics: /^Statistics: (\S+) → (\S+) \((\d+(?:\.\d+)?) h,/m,
  total: /^Total: (\d+\.\d{3}) kWh$/m,
  row: /^\| (.+?) \| ([a-z0-9_]+\.[a-z0-9_]+) \| (\d+\.\d{3}) \| (.+?) \|$/gm,
} as const;

export function formatWindowLine(start: string, end: string, hours: number): string {
  return `Window: ${start} → ${end} (${hours} h)`;
}

export function formatTotalLine(totalKwh: number): string {
  return `Total: ${totalKwh.toFixed(3)} kWh`;
}

export interface ParsedEnergyReport {
  window: { start: string; end: string; hours: number };
  statistics?: { start: string; end: string; hours: number };
  totalKwh: number;
  rows: Array<{ name: string; entityId: string; kwh: number; share: string }>;
}

/** Reads the contract lines back; undefined when the text is not an energy report. */
export function parseEnergyReport(text: string): ParsedEnergyReport | undefined {
  const window = ENERGY_REPORT_PATTERNS.window.exec(text);
  const total = ENERGY_REPORT_PATTERNS.total.exec(text);
  if (!window || !total || !text.includes(ENERGY_REPORT_TABLE_HEADER)) return undefined;
  const statistics = ENERGY_REPORT_PATTERNS.statistics.exec(text);
  return {
    window: { start: window[1], end: window[2], hours: Number(window[3]) },
    ...(statistics ? { statistics: { start: statistics[1], end: statistics[2], hours: Number(statistics[3]) } } : {}),
    totalKwh: Number(total[1]),
    rows: [...text.matchAll(ENERGY_REPORT_PATTERNS.row)].map((m) => ({
      name: m[1].replace(/\\\|/g, '|'),
      entityId: m[2],
      kwh: Number(m[3]),
      share: m[4],
    })),
  };
}

export interface EnergyReportInput {
  figures: EnergyFigures;
  findings: readonly Finding[];
  sensorSource: 'energy_prefs' | 'states';
  skipped: readonly SkippedSensor[];
  /** Set when HA's time zone was unknown and UTC was used instead. */
  unknownTimeZone?: string;
}

/** Renders the energy analyst's report as markdown lines (no trailing newlines). */
export function formatEnergyReport({ figures, findings, sensorSource, skipped, unknownTimeZone }: EnergyReportInput): string[] {
  const lines: string[] = [];
  const counts = ROLE_ORDER.map((role) => [role, figures.sensors.filter((s) => s.role === role).length] as const).filter(([, n]) => n > 0);

  lines.push(formatWindowLine(figures.window.start, figures.window.end, figures.window.hours));
  lines.push(...coverageLines(figures));
  lines.push(
    unknownTimeZone
      ? `Time zone: ${figures.timeZone} (Home Assistant's time zone "${unknownTimeZone}" is not recognised)`
      : `Time zone: ${figures.timeZone}`,
  );
  lines.push(
    `Meters: ${counts.map(([role, n]) => `${n} ${ROLE_LABEL[role]}`).join(', ')} (${sensorSource === 'energy_prefs' ? "from Home Assistant's Energy configuration" : 'energy sensors found in Home Assistant; no Energy configuration, so the total is the sum of the devices'})`,
  );
  lines.push(formatTotalLine(figures.totalKwh));
  if (figures.balance) lines.push(balanceLine(figures.balance, figures.sensors));
  lines.push('');
  lines.push(ENERGY_REPORT_TABLE_HEADER);
  lines.push('|---|---|---:|---:|');
  const ordered = [...figures.sensors].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || b.kwh - a.kwh);
  for (const sensor of ordered) {
    const name = sensor.role !== 'consumer' ? `${sensor.name} (${ROLE_LABEL[sensor.role]})` : sensor.includedIn ? `${sensor.name} (part of ${sensor.includedIn})` : sensor.name;
    lines.push(`| ${name.replace(/\|/g, '\\|')} | ${sensor.entityId} | ${sensor.kwh.toFixed(3)} | ${shareText(sensor.share)} |`);
  }
  if (figures.cost) lines.push('', ...costLines(figures.cost));
  if (figures.untrackedKwh !== null) {
    const share = figures.totalKwh > 0 ? figures.untrackedKwh / figures.totalKwh : null;
    lines.push('');
    lines.push(`Untracked (home consumption minus device meters): ${figures.untrackedKwh.toFixed(3)} kWh (${shareText(share)})`);
  }

  const days = Object.entries(figures.dailyTotals);
  if (days.length > MAX_DAILY_LINES) {
    const months = monthlyTotals(figures.dailyTotals);
    lines.push('');
    lines.push('Monthly totals:');
    for (const [month, kwh] of months) lines.push(`- ${month}: ${kwh.toFixed(3)} kWh`);
  } else if (days.length > 0) {
    lines.push('');
    lines.push('Daily totals:');
    for (const [day, kwh] of days) lines.push(`- ${day}: ${kwh.toFixed(3)} kWh`);
  }

  lines.push('');
  lines.push(figures.peakHour ? `Peak hour: ${figures.peakHour.label} (${figures.peakHour.kwh.toFixed(3)} kWh)` : 'Peak hour: n/a (no consumption recorded)');
  const busiest = Object.entries(figures.hourlyAverages)
    .filter(([, kwh]) => kwh > 0)
    .sort(([ha, a], [hb, b]) => b - a || Number(ha) - Number(hb))
    .slice(0, 3);
  if (busiest.length > 0) {
    lines.push(`Busiest hours on average: ${busiest.map(([hour, kwh]) => `${hour.padStart(2, '0')}:00 (${kwh.toFixed(3)} kWh/h)`).join(', ')}`);
  }
  lines.push(
    figures.nightBaseloadKw === null
      ? 'Night baseload (quietest hour 00:00–05:00): n/a (the window holds no full night hour)'
      : `Night baseload (quietest hour 00:00–05:00): ${figures.nightBaseloadKw.toFixed(3)} kW`,
  );

  if (figures.topConsumers.length > 0) {
    lines.push('');
    lines.push('Top consumers:');
    figures.topConsumers.forEach((c, i) => lines.push(`${i + 1}. ${c.name}: ${c.kwh.toFixed(3)} kWh (${shareText(c.share)})`));
  }

  if (findings.length > 0) {
    lines.push('');
    lines.push(`Findings (${findings.length}):`);
    findings.forEach((f, i) => lines.push(`${i + 1}. **${f.title}**: ${f.description}`));
  }

  if (skipped.length > 0) {
    lines.push('');
    lines.push(`Not analysed: ${skipped.map((s) => `${s.entityId} (${s.reason})`).join('; ')}`);
  }
  return lines;
}

/** What the figures cover when history did not reach back to the requested start. */
function coverageLines({ window, coverage }: Pick<EnergyFigures, 'window' | 'coverage'>): string[] {
  if (!coverage) return [];
  const days = ((Date.parse(window.end) - Date.parse(window.start)) / 86_400_000).toFixed(1);
  const asked = Math.round((Date.parse(window.end) - Date.parse(coverage.requestedStart)) / 36_000) / 100;
  const historyCovers = `History covers only the last ${days} days (Home Assistant keeps history for purge_keep_days), not the ${asked} h asked for`;
  if (!coverage.statistics) {
    return [`Coverage: ${historyCovers}; Home Assistant has no long-term statistics for the time before, so these figures cover the ${window.hours} h of history only.`];
  }
  const { start, end, hours } = coverage.statistics;
  const covered = figuresHours({ window, coverage });
  return [
    `Statistics: ${start} → ${end} (${hours} h, Home Assistant's hourly long-term statistics)`,
    window.hours > 0
      ? `Coverage: ${historyCovers}; the ${hours} h before it come from hourly long-term statistics, so these figures cover ${covered} h from ${start}.`
      : // A window wholly in the past (a month last year): statistics are all there is.
        `Coverage: Home Assistant keeps no history this far back (purge_keep_days): these figures come from its hourly long-term statistics and cover ${covered} h from ${start}${covered < asked ? `, not the ${asked} h asked for (it has none before)` : ''}.`,
  ];
}

/** Balance meters first, in the order of the balance, then the devices. */
const ROLE_ORDER: readonly EnergySensorRole[] = ['mains', 'export', 'production', 'battery_out', 'battery_in', 'consumer'];
const ROLE_LABEL: Record<EnergySensorRole, string> = {
  mains: 'grid import',
  export: 'grid export',
  production: 'production',
  battery_out: 'battery out',
  battery_in: 'battery in',
  consumer: 'device',
};

/** "Home consumption (…): grid import 40.000 − export 2.000 + production 3.843 = 41.843 kWh", naming only the meters the home has. */
function balanceLine(balance: EnergyBalance, sensors: EnergyFigures['sensors']): string {
  const has = (role: EnergySensorRole) => sensors.some((s) => s.role === role);
  const terms = [
    has('mains') ? `grid import ${balance.gridImportKwh.toFixed(3)}` : '',
    has('export') ? `− export ${balance.gridExportKwh.toFixed(3)}` : '',
    has('production') ? `+ production ${balance.productionKwh.toFixed(3)}` : '',
    has('battery_out') ? `+ battery out ${balance.batteryOutKwh.toFixed(3)}` : '',
    has('battery_in') ? `− battery in ${balance.batteryInKwh.toFixed(3)}` : '',
  ].filter(Boolean);
  return `Home consumption (as Home Assistant's Energy dashboard counts it): ${terms.join(' ').replace(/^[+] /, '')} = ${balance.homeKwh.toFixed(3)} kWh`;
}

/** "Cost: 14.71 EUR (grid import at 0.3516 EUR/kWh; no export compensation configured)". */
function costLines(cost: EnergyCost): string[] {
  const money = (amount: number) => `${amount.toFixed(2)}${cost.currency ? ` ${cost.currency}` : ''}`;
  const unit = cost.currency ? `${cost.currency}/kWh` : 'per kWh';
  const priceOf = (p: EnergyCost['prices'][number]) => (p.perKwh !== undefined ? `${p.perKwh} ${unit}` : `the price in ${p.priceEntity}`);
  const parts = cost.prices.map((p) => `${p.entityId} at ${priceOf(p)}`);
  const lines = [
    cost.exportCompensation === null
      ? `Cost: ${money(cost.net)} for grid import (${parts.join('; ')})`
      : `Cost: ${money(cost.net)} net: grid import ${money(cost.importCost ?? 0)} − export compensation ${money(cost.exportCompensation)} (${parts.join('; ')})`,
  ];
  for (const u of cost.unpriced) lines.push(`Not priced: ${u.entityId} (${u.reason})`);
  return lines;
}

function shareText(share: number | null): string {
  return share === null ? 'n/a' : `${(share * 100).toFixed(1)} %`;
}

/**
 * A long window (statistics over months) reads better by month: the daily sums grouped by local
 * calendar month ("YYYY-MM"), in order.
 */
export function monthlyTotals(dailyTotals: Record<string, number>): Map<string, number> {
  const months = new Map<string, number>();
  for (const [day, kwh] of Object.entries(dailyTotals)) months.set(day.slice(0, 7), (months.get(day.slice(0, 7)) ?? 0) + kwh);
  return months;
}
