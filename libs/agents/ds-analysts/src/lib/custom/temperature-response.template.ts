import { CUSTOM_ANALYSIS_KEYWORDS } from '@aether/core';
import type { HaEnergyPrefs, HaEntityState, HaStatisticsResult } from '@aether/home-assistant';
import { selectEnergySensors } from '../energy/energy-sensors';

/**
 * A built-in analysis script: "does the heat pump run more on cold days?" — a meter's daily energy
 * against the day's mean outdoor temperature, from HA's daily long-term statistics. The script
 * (pandas, and Matplotlib for the chart when it is there) runs in the sandbox like a script a model
 * would write, over the same kind of exported files.
 */
export const TEMPERATURE_RESPONSE = {
  id: 'temperature_response',
  title: "how a meter's daily energy follows the outdoor temperature",
  /** A question for the custom analysis (its keywords: cold, warm, weather, temperature…). */
  matches: (query: string) => (query.toLowerCase().match(/[a-z]+/g) ?? []).some((word) => CUSTOM_ANALYSIS_KEYWORDS.has(word)),
};

export interface TemperatureResponseSelection {
  meter: { entityId: string; name: string };
  temperature: { entityId: string; name: string };
}

/**
 * The meter the question names (the device meter sharing the most words with it, e.g. "heat pump"
 * → Heat Pump Energy; else the grid import: the whole home) and the outdoor temperature sensor
 * (device class temperature, "outdoor" or "outside" in its id or name). A string says what is missing.
 */
export function selectTemperatureResponse(query: string, prefs: HaEnergyPrefs | null, states: readonly HaEntityState[]): TemperatureResponseSelection | string {
  const { sensors } = selectEnergySensors(prefs, states);
  const nameOf = (entityId: string) => String(states.find((s) => s.entity_id === entityId)?.attributes['friendly_name'] ?? entityId);
  const asked = new Set((query.toLowerCase().match(/[a-z]+/g) ?? []).filter((word) => !GENERIC_WORDS.has(word)));
  const score = (entityId: string) => new Set([...(`${entityId} ${nameOf(entityId)}`.toLowerCase().match(/[a-z]+/g) ?? [])].filter((w) => asked.has(w))).size;
  const consumers = sensors.filter((s) => s.role === 'consumer').map((s) => ({ entityId: s.entityId, score: score(s.entityId) }));
  const named = consumers.filter((c) => c.score > 0).sort((a, b) => b.score - a.score || a.entityId.localeCompare(b.entityId))[0];
  const meterId = named?.entityId ?? sensors.find((s) => s.role === 'mains')?.entityId;
  if (!meterId) return 'no energy meter in Home Assistant (neither its Energy configuration nor sensors with device_class energy)';
  const outdoor = states.find(
    (s) => s.entity_id.startsWith('sensor.') && s.attributes['device_class'] === 'temperature' && /outdoor|outside/i.test(`${s.entity_id} ${String(s.attributes['friendly_name'] ?? '')}`),
  );
  if (!outdoor) return 'no outdoor temperature sensor in Home Assistant (a sensor with device_class temperature and "outdoor" or "outside" in its name)';
  return { meter: { entityId: meterId, name: nameOf(meterId) }, temperature: { entityId: outdoor.entity_id, name: nameOf(outdoor.entity_id) } };
}

/** Words of a question that name no device. */
const GENERIC_WORDS = new Set(['does', 'do', 'the', 'my', 'our', 'run', 'runs', 'use', 'uses', 'more', 'less', 'on', 'in', 'when', 'it', 'is', 'cold', 'colder', 'warm', 'warmer', 'hot', 'days', 'day', 'energy', 'sensor', 'meter', 'a', 'of', 'than', 'what', 'how', 'much', 'outdoor', 'outside', 'temperature', 'weather']);

/**
 * The exported files: daily kWh of the meter, daily mean °C outside — whole days of the window only
 * (a part of a day would read as a day of little use) — and what they are.
 */
export function temperatureResponseInputs(selection: TemperatureResponseSelection, statistics: HaStatisticsResult, window: { start: Date; end: Date }): Record<string, string> {
  const day = (ms: number) => new Date(ms).toISOString();
  const whole = (row: { start: number; end: number }) => row.start >= window.start.getTime() && row.end <= window.end.getTime();
  const energy = (statistics[selection.meter.entityId] ?? []).filter((row) => whole(row) && typeof row.change === 'number').map((row) => `${day(row.start)},${row.change}`);
  const temperature = (statistics[selection.temperature.entityId] ?? []).filter((row) => whole(row) && typeof row.mean === 'number').map((row) => `${day(row.start)},${row.mean}`);
  return {
    'energy_daily.csv': ['start,kwh', ...energy].join('\n') + '\n',
    'temperature_daily.csv': ['start,mean_c', ...temperature].join('\n') + '\n',
    'meta.json': JSON.stringify({ meter: selection.meter, temperature: selection.temperature }),
  };
}

/** The script: merge by day, correlation, kWh per °C, coldest third vs warmest third; findings.json and a chart. */
export const TEMPERATURE_RESPONSE_SCRIPT = String.raw`
import json
import numpy as np
import pandas as pd

meta = json.load(open('/input/meta.json'))
energy = pd.read_csv('/input/energy_daily.csv', parse_dates=['start'])
temperature = pd.read_csv('/input/temperature_daily.csv', parse_dates=['start'])
days = energy.merge(temperature, on='start').dropna()
meter, outdoor = meta['meter'], meta['temperature']
summary = [f"Days with both the meter's daily energy and the mean outdoor temperature: {len(days)}"]
findings = []

if len(days) >= 7 and days['mean_c'].std() > 0 and days['kwh'].std() > 0:
    r = float(days['kwh'].corr(days['mean_c']))
    slope = float(np.polyfit(days['mean_c'], days['kwh'], 1)[0])
    low, high = days['mean_c'].quantile([1 / 3, 2 / 3])
    cold = days[days['mean_c'] <= low]['kwh'].mean()
    warm = days[days['mean_c'] >= high]['kwh'].mean()
    summary.append(f"Correlation of daily kWh with outdoor temperature: {r:.2f}; {slope:+.3f} kWh per day for each degree warmer")
    summary.append(f"Coldest third of days (≤ {low:.1f} °C): {cold:.3f} kWh a day on average; warmest third (≥ {high:.1f} °C): {warm:.3f} kWh")
    colder_more = r <= -0.3 and cold > warm
    warmer_more = r >= 0.3 and warm > cold
    if colder_more or warmer_more:
        ratio = (cold / warm) if colder_more and warm > 0 else (warm / cold) if warmer_more and cold > 0 else None
        when = 'cold' if colder_more else 'warm'
        title = f"{meter['name']} uses more on {when} days" + (f" ({ratio:.1f}× the {'warmest' if colder_more else 'coldest'} third)" if ratio else '')
        description = (f"Over {len(days)} days its daily energy follows the outdoor temperature (correlation {r:.2f}): "
                       f"{abs(slope):.3f} kWh more for each degree {'colder' if colder_more else 'warmer'}; "
                       f"{cold:.3f} kWh a day on the coldest third of days, {warm:.3f} kWh on the warmest.")
    else:
        title = f"{meter['name']} does not depend clearly on the outdoor temperature"
        description = f"Over {len(days)} days the correlation of its daily energy with the outdoor temperature is {r:.2f}."
    findings.append({
        'specialist': 'custom',
        'type': 'insight',
        'title': title,
        'description': description,
        'confidence': round(min(0.95, max(0.3, abs(r))), 2),
        'entities': [meter['entityId'], outdoor['entityId']],
        'evidence': {'days': int(len(days)), 'correlation': round(r, 3), 'kwhPerDegree': round(slope, 4),
                     'coldDaysMeanKwh': round(float(cold), 3), 'warmDaysMeanKwh': round(float(warm), 3),
                     'coldThirdMaxC': round(float(low), 2), 'warmThirdMinC': round(float(high), 2)},
    })
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(7.2, 3.6), dpi=100)
        ax.scatter(days['mean_c'], days['kwh'], color='#2563eb')
        xs = np.linspace(days['mean_c'].min(), days['mean_c'].max(), 2)
        ax.plot(xs, np.polyval(np.polyfit(days['mean_c'], days['kwh'], 1), xs), color='#9ca3af')
        ax.set_xlabel(f"{outdoor['name']}, daily mean (°C)")
        ax.set_ylabel('kWh per day')
        ax.set_title(f"{meter['name']}: daily energy against outdoor temperature")
        fig.tight_layout()
        fig.savefig('/output/temperature_response.png')
    except ImportError:
        summary.append('(no chart: Matplotlib is not installed for the sandbox)')
else:
    summary.append('Too few days, or no variation, to compare: at least 7 days with both figures are needed.')

json.dump({'summary': summary, 'findings': findings}, open('/output/findings.json', 'w'))
`;
