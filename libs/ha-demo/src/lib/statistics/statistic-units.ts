import type { HaStatisticsResult } from '@aether/home-assistant';

/** Per unit class: each unit as (factor, offset) from the class's base unit: value = base × factor + offset. */
const UNIT_CLASSES: Record<string, Record<string, { factor: number; offset?: number }>> = {
  energy: { Wh: { factor: 1000 }, kWh: { factor: 1 }, MWh: { factor: 0.001 }, MJ: { factor: 3.6 }, GJ: { factor: 0.0036 } },
  power: { W: { factor: 1 }, kW: { factor: 0.001 } },
  temperature: { '°C': { factor: 1 }, '°F': { factor: 1.8, offset: 32 }, K: { factor: 1, offset: 273.15 } },
};
const VALUE_KEYS = ['state', 'sum', 'mean', 'min', 'max'] as const;

/** The unit class HA's recorder gives a statistic of this unit (`energy` for kWh…); null when it converts none. */
export function unitClassOf(unit: string | null): string | null {
  return Object.entries(UNIT_CLASSES).find(([, units]) => unit !== null && unit in units)?.[0] ?? null;
}

/** `units` of `recorder/statistics_during_period` as HA validates it; the refusal's message, or null. */
export function unitsProblem(units: unknown): string | null {
  if (units === undefined) return null;
  if (typeof units !== 'object' || units === null || Array.isArray(units)) return "expected a dictionary for dictionary value @ data['units']";
  for (const [unitClass, unit] of Object.entries(units)) {
    const valid = UNIT_CLASSES[unitClass];
    if (!valid) return `extra keys not allowed @ data['units']['${unitClass}']`;
    if (typeof unit !== 'string' || !(unit in valid)) return `value must be one of [${Object.keys(valid).map((u) => `'${u}'`).join(', ')}] for dictionary value @ data['units']['${unitClass}']`;
  }
  return null;
}

/**
 * Converts statistics rows to the requested unit of their unit class, as HA's recorder does
 * (`statistics_unit_of_measurement` → `units[unit_class]`); a change converts by the factor alone.
 */
export function convertStatistics(result: HaStatisticsResult, unitOf: (statisticId: string) => { unit: string | null; unitClass: string | null } | undefined, units: Record<string, string>): HaStatisticsResult {
  const converted: HaStatisticsResult = {};
  for (const [id, rows] of Object.entries(result)) {
    const meta = unitOf(id);
    const scale = meta?.unitClass ? UNIT_CLASSES[meta.unitClass] : undefined;
    const from = meta?.unit && scale ? scale[meta.unit] : undefined;
    const to = meta?.unitClass ? units[meta.unitClass] : undefined;
    const target = to && scale ? scale[to] : undefined;
    if (!from || !target || to === meta?.unit) {
      converted[id] = rows;
      continue;
    }
    const value = (v: number) => ((v - (from.offset ?? 0)) / from.factor) * target.factor + (target.offset ?? 0);
    const change = (v: number) => (v / from.factor) * target.factor;
    converted[id] = rows.map((row) => {
      const next = { ...row };
      for (const key of VALUE_KEYS) if (typeof row[key] === 'number') next[key] = value(row[key] as number);
      if (typeof row.change === 'number') next.change = change(row.change);
      return next;
    });
  }
  return converted;
}
