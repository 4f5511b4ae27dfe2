/**
 * The energy analysis against pandas on the same data: 60 energy meters over 30 days of Home
 * Assistant history (a reading every 5 minutes, HA's `minimal_response` JSON), from the JSON bytes
 * to every figure — excluding HA's transfer, as the issue's target says. Aether's side is the very
 * function its worker threads run (`analyseEnergyHistory`: parse, validate, compute every figure and
 * finding); pandas' side (Debian's /usr/bin/python3) computes the same figures — totals per meter,
 * home total, daily totals in the home's time zone, average per clock hour, peak hour, night
 * baseload — and both must agree before their times count. Medians of a few runs, side by side in
 * one process each.
 *
 *   node tools/bench/run.mjs energy     (part of `npm run bench`)
 *
 * With BENCH_JSON=<file> it writes its figures there for the suite's table.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { analyseEnergyHistory } from '../../libs/agents/ds-analysts/src/lib/energy/energy-analysis.task';
import type { EnergySensor } from '../../libs/agents/ds-analysts/src/lib/energy/energy-sensors';

const METERS = 60;
const DAYS = 30;
const STEP_MS = 5 * 60_000;
const RUNS = 5;
const TIME_ZONE = 'Europe/Dublin';
const PYTHON = '/usr/bin/python3';

/** A deterministic PRNG (mulberry32): the same house every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const end = Date.UTC(2026, 10, 30);
const start = end - DAYS * 86_400_000;
const sensors: EnergySensor[] = Array.from({ length: METERS }, (_, i) => ({
  entityId: `sensor.meter_${String(i).padStart(2, '0')}_energy`,
  name: `Meter ${i}`,
  role: 'consumer',
  unit: 'kWh',
  kwhPerUnit: 1,
}));

function history(): string {
  const next = random(42);
  const series = sensors.map((sensor, i) => {
    const base = 0.01 + (i % 7) * 0.004;
    let value = 1000 * next();
    const states: Array<Record<string, string>> = [];
    for (let at = start; at < end; at += STEP_MS) {
      const hour = new Date(at).getUTCHours();
      value += base * (hour >= 17 && hour < 22 ? 3 : hour < 6 ? 0.5 : 1) * (0.5 + next());
      const row: Record<string, string> = { state: value.toFixed(3), last_changed: new Date(at).toISOString() };
      if (states.length === 0) row['entity_id'] = sensor.entityId;
      states.push(row);
    }
    return states;
  });
  return JSON.stringify(series);
}

const PANDAS_SCRIPT = String.raw`
import json, sys, time
import pandas as pd

path, tz, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = []
for _ in range(runs):
    t = time.perf_counter()
    series = json.load(open(path))
    frames = []
    for states in series:
        df = pd.DataFrame(states)
        df['entity_id'] = states[0]['entity_id']
        frames.append(df[['entity_id', 'state', 'last_changed']])
    df = pd.concat(frames)
    df['value'] = pd.to_numeric(df['state'], errors='coerce')
    df['at'] = pd.to_datetime(df['last_changed'], utc=True)
    df = df.dropna(subset=['value']).sort_values(['entity_id', 'at'])
    df['kwh'] = df.groupby('entity_id')['value'].diff().fillna(0)
    df['local'] = df['at'].dt.tz_convert(tz)
    per_meter = df.groupby('entity_id')['kwh'].sum()
    total = float(per_meter.sum())
    daily = df.groupby(df['local'].dt.normalize())['kwh'].sum()
    hourly = df.groupby(df['local'].dt.floor('h'))['kwh'].sum()
    peak = hourly.idxmax()
    by_clock_hour = hourly.groupby(hourly.index.hour).mean()
    night = hourly[hourly.index.hour < 5]
    baseload = float(night.min())
    times.append((time.perf_counter() - t) * 1000)
print(json.dumps({'ms': sorted(times)[len(times) // 2], 'total': total, 'days': len(daily), 'peakKwh': float(hourly.max()), 'baseload': baseload}))
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const text = history();
const bytes = Buffer.from(text);
const readings = METERS * ((end - start) / STEP_MS);
const input = { entityIds: sensors.map((s) => s.entityId), sensors, start, end, hours: DAYS * 24, timeZone: TIME_ZONE };

const aetherTimes: number[] = [];
let totalKwh = NaN;
for (let run = 0; run < RUNS; run += 1) {
  // A fresh copy each run: the worker receives its own bytes (transferred), as in the service.
  const history = new Uint8Array(bytes);
  const t = performance.now();
  const output = analyseEnergyHistory({ ...input, history });
  aetherTimes.push(performance.now() - t);
  if (!output.ok) throw new Error(`the analysis refused the history: ${output.problem}`);
  totalKwh = output.figures.totalKwh;
}

let pandas: { ms: number; total: number } | { unavailable: string };
if (!existsSync(PYTHON)) {
  pandas = { unavailable: `${PYTHON} not found` };
} else {
  const dir = mkdtempSync(path.join(tmpdir(), 'aether-bench-energy-'));
  try {
    writeFileSync(path.join(dir, 'history.json'), text);
    writeFileSync(path.join(dir, 'bench.py'), PANDAS_SCRIPT);
    try {
      pandas = JSON.parse(execFileSync(PYTHON, [path.join(dir, 'bench.py'), path.join(dir, 'history.json'), TIME_ZONE, String(RUNS)], { encoding: 'utf8', maxBuffer: 1 << 20 }));
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim().split('\n').at(-1);
      pandas = { unavailable: `pandas run failed: ${stderr || (error as Error).message.split('\n')[0]}` };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if ('total' in pandas && Math.abs(pandas.total - totalKwh) > 1e-6 * Math.max(1, totalKwh)) {
  throw new Error(`Aether and pandas disagree on the total: ${totalKwh} vs ${pandas.total} kWh`);
}
const result = {
  meters: METERS,
  days: DAYS,
  readings,
  megabytes: bytes.length / 2 ** 20,
  aetherMs: median(aetherTimes),
  ...('ms' in pandas ? { pandasMs: pandas.ms } : { pandasUnavailable: pandas.unavailable }),
  totalKwh,
};
console.log(JSON.stringify(result));
if (process.env['BENCH_JSON']) writeFileSync(process.env['BENCH_JSON'], JSON.stringify(result));
