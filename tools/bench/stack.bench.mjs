// The process-level scenarios of `npm run bench`, on the built bundles (dist/apps/<app>/main.js):
// a monolith gateway and the distributed stack (7 agents, gateway) started side by side with the
// embedded defaults (offline model, embedded database) in fresh data directories, so noise on a
// shared machine hits both alike. Both talk to one demo home process, as both would to the user's
// Home Assistant (the demo home embedded in a monolith would put HA's own work — serving 30 days
// of history — on the gateway's event loop, which no real deployment has).
//
//   modes:    start → healthy (whole stack fresh and with existing data, each service with existing
//             data), the two questions interleaved monolith/distributed, RSS after traffic and idle
//   analysis: in the monolith, /api/v1/health latency while a 30-day analysis runs, 4 analyses
//             one after another vs 4 at once, and a 365-day analysis (from long-term statistics)
//   load:     the distributed stack under a burst of concurrent streaming chats and a soak: errors,
//             latencies, chats/s, memory growth
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, HA_DEMO_TOKEN, startApp, startDemoHomeApp, startDistributedStack } from '../start-distributed/stack.mjs';
import { LOAD_QUESTIONS, streamChat } from '../../apps/e2e/src/support/chat-load.ts';
import { cpuTimeMs, treeRss } from './lib/processes.mjs';

export const LIGHTS = 'What lights are on?';
export const ENERGY_48H = 'Analyze my energy usage for the last 48 hours';
export const ENERGY_30D = 'Analyze my energy usage for the last 30 days';
export const ENERGY_365D = 'Analyze my energy usage for the last 365 days';
const API_KEY = 'bench-key';
const START_TIMEOUT_MS = 180_000;
const REQUEST_TIMEOUT_MS = 120_000;

/** Pins every embedded default regardless of the caller's shell (as the e2e tests do). */
function embeddedEnv(dataDir, ha) {
  return {
    // As `npm run start:distributed` runs it (development: services migrate their own schema).
    NODE_ENV: '',
    DATABASE_URL: '',
    DATABASE_SCHEMA: '',
    HA_URL: ha.url,
    HA_TOKEN: HA_DEMO_TOKEN,
    LLM_BASE_URL: '',
    LLM_API_KEY: '',
    LLM_MODEL: '',
    AETHER_API_KEYS: API_KEY,
    // One key drives every request of a load run: per-key limits (default 600/min, 32 at once) off.
    AETHER_RATE_LIMIT_PER_MINUTE: '0',
    AETHER_MAX_CONCURRENT_REQUESTS: '0',
    LOG_LEVEL: 'warn',
    AETHER_DATA_DIR: dataDir,
  };
}

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One streamed chat completion through the OpenAI API; resolves with its wall time in ms. */
async function ask(gatewayUrl, question) {
  const start = performance.now();
  const res = await fetch(`${gatewayUrl}/api/v1/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${API_KEY}` },
    body: JSON.stringify({ model: 'aether-offline', stream: true, messages: [{ role: 'user', content: question }] }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = await res.text();
  const ms = performance.now() - start;
  if (!res.ok || !body.includes('data: [DONE]')) throw new Error(`"${question}" → HTTP ${res.status}: ${body.slice(0, 500)}`);
  return ms;
}

/**
 * Everything the suite starts, so that it can be stopped on the way out whatever happened.
 * `procs` holds the handles of the processes now serving (a restarted service replaces its entry).
 */
export class Fleet {
  constructor(log) {
    this.log = log;
    this.dataDirs = [];
    this.stack = undefined;
    this.monolith = undefined;
    this.procs = {};
  }

  /** The demo home process both modes talk to (started once). */
  async home() {
    this.demo ??= await startDemoHomeApp({ port: await freePort() });
    return this.demo;
  }

  dataDir(prefix) {
    const dir = mkdtempSync(path.join(tmpdir(), `aether-bench-${prefix}-`));
    this.dataDirs.push(dir);
    return dir;
  }

  async startMonolith(env) {
    const t = performance.now();
    this.monolith = await startApp('gateway', {
      port: await freePort(),
      env: { ...env, DEPLOYMENT_MODE: 'monolith' },
      healthPath: '/api/v1/health',
      timeoutMs: START_TIMEOUT_MS,
    });
    return performance.now() - t;
  }

  async startStack(env) {
    const t = performance.now();
    const ha = await this.home();
    this.stack = await startDistributedStack({
      randomPorts: true,
      env,
      haUrl: ha.url,
      haToken: HA_DEMO_TOKEN,
      timeoutMs: START_TIMEOUT_MS,
      log: (line) => this.log(`  ${line}`),
    });
    const ms = performance.now() - t;
    this.procs = { ...this.stack.agents, gateway: this.stack.gateway };
    return ms;
  }

  async stopStack() {
    const stack = this.stack;
    this.stack = undefined;
    await Promise.all(Object.values(this.procs).map((p) => p.stop()));
    this.procs = {};
    await stack?.stop();
  }

  async stopAll() {
    await Promise.allSettled([this.stopStack(), this.monolith?.stop()]);
    this.monolith = undefined;
    await this.demo?.stop();
    this.demo = undefined;
    for (const dir of this.dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }

  /** The pids of each mode's processes by name: the monolith gateway; the stack's services and its database server. */
  pids() {
    const distributed = Object.fromEntries(Object.entries(this.procs).map(([name, proc]) => [name, proc.child.pid]));
    const dbServer = this.stack?.database?.server;
    if (dbServer?.child?.pid) distributed.database = dbServer.child.pid;
    return { monolith: { gateway: this.monolith?.child.pid }, distributed };
  }

  /** Resident memory of every process of the distributed stack and of the monolith gateway, in bytes. */
  rss() {
    const pids = this.pids();
    const out = { services: {}, monolith: treeRss(pids.monolith.gateway) };
    for (const [name, pid] of Object.entries(pids.distributed)) out.services[name] = treeRss(pid);
    // The demo home stands in for the user's Home Assistant: reported, not part of Aether's total.
    out.demoHome = this.demo ? treeRss(this.demo.child.pid) : undefined;
    out.total = Object.values(out.services).reduce((a, b) => a + b, 0);
    return out;
  }
}

/**
 * Start-up, interleaved questions, memory.
 * @param {{ fleet: Fleet, warmupRounds: number, rounds: number, maxQuestionMs: number, idleMs: number, log: (s: string) => void }} o
 */
export async function runModes({ fleet, warmupRounds, rounds, maxQuestionMs, idleMs, log }) {
  const result = { start: {}, questions: {}, rss: {} };

  log('monolith: first start (fresh data dir)…');
  const monoEnv = embeddedEnv(fleet.dataDir('monolith'), await fleet.home());
  result.start.monolithFresh = await fleet.startMonolith(monoEnv);
  await fleet.monolith.stop();
  log('monolith: second start (existing data)…');
  result.start.monolithExisting = await fleet.startMonolith(monoEnv);

  const stackEnv = embeddedEnv(fleet.dataDir('distributed'), await fleet.home());
  log('distributed: whole stack, fresh data dir…');
  result.start.stackFresh = await fleet.startStack(stackEnv);
  await fleet.stopStack();
  log('distributed: whole stack, existing data…');
  result.start.stackExisting = await fleet.startStack(stackEnv);

  // Each service alone, with the rest of the stack up: stop it, start it again on its port with
  // the stack's environment, time spawn → healthy.
  result.start.services = {};
  for (const name of Object.keys(fleet.procs)) {
    const old = fleet.procs[name];
    await old.stop();
    const t = performance.now();
    fleet.procs[name] = await startApp(name, {
      port: old.port,
      env: fleet.stack.env,
      healthPath: name === 'gateway' ? '/api/v1/health' : '/health',
      timeoutMs: START_TIMEOUT_MS,
    });
    result.start.services[name] = performance.now() - t;
    log(`  ${name} restarted in ${(result.start.services[name] / 1000).toFixed(2)} s`);
  }
  result.rss.afterStart = fleet.rss();

  const urls = { monolith: fleet.monolith.url, distributed: fleet.procs.gateway.url };
  for (const question of [LIGHTS, ENERGY_48H]) {
    log(`questions: "${question}" warm-up (${warmupRounds} rounds)…`);
    for (let i = 0; i < warmupRounds; i++) for (const mode of ['monolith', 'distributed']) await ask(urls[mode], question);
    const samples = { monolith: [], distributed: [] };
    // CPU time each process of a mode used while that mode answered (read from /proc just before and
    // after each question): where the difference between the modes comes from.
    const pids = fleet.pids();
    const cpu = { monolith: {}, distributed: {} };
    const began = performance.now();
    for (let round = 0; round < rounds; round++) {
      // Alternate which mode goes first so a slow moment does not always land on the same one.
      const order = round % 2 === 0 ? ['monolith', 'distributed'] : ['distributed', 'monolith'];
      for (const mode of order) {
        const before = Object.entries(pids[mode]).map(([name, pid]) => [name, pid, cpuTimeMs(pid)]);
        samples[mode].push(await ask(urls[mode], question));
        for (const [name, pid, ms] of before) cpu[mode][name] = (cpu[mode][name] ?? 0) + cpuTimeMs(pid) - ms;
      }
      if (round >= 4 && performance.now() - began > maxQuestionMs) break;
    }
    const perQuestion = (mode) => Object.fromEntries(Object.entries(cpu[mode]).map(([name, ms]) => [name, ms / samples[mode].length]));
    const p50 = (mode) => percentile(samples[mode], 50);
    result.questions[question] = {
      warmupRounds,
      rounds: samples.monolith.length,
      monolith: { p50: p50('monolith'), p95: percentile(samples.monolith, 95), cpuMs: perQuestion('monolith') },
      distributed: { p50: p50('distributed'), p95: percentile(samples.distributed, 95), cpuMs: perQuestion('distributed') },
      diffP50: p50('distributed') - p50('monolith'),
    };
    log(`  ${samples.monolith.length} rounds: monolith p50 ${p50('monolith').toFixed(1)} ms, distributed p50 ${p50('distributed').toFixed(1)} ms`);
  }

  result.rss.afterTraffic = fleet.rss();
  log(`memory: idle ${idleMs / 1000} s (V8's memory reducer) before reading RSS…`);
  await sleep(idleMs);
  result.rss.idle = fleet.rss();
  return result;
}

/** Health latency of the monolith while 30-day analyses run, and 4 sequential vs 4 parallel analyses (`throughputPairs` times). */
export async function runAnalysis({ fleet, stallRuns, throughputPairs = 1, log }) {
  if (!fleet.monolith) {
    log('analysis: starting a monolith (fresh data dir)…');
    await fleet.startMonolith(embeddedEnv(fleet.dataDir('monolith'), await fleet.home()));
  }
  const url = fleet.monolith.url;
  const health = async () => {
    const t = performance.now();
    const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    await res.arrayBuffer();
    return performance.now() - t;
  };
  /** Polls health every ~10 ms until `until` settles; returns the latencies. */
  const poll = async (until) => {
    let done = false;
    until.finally(() => (done = true)).catch(() => undefined);
    const latencies = [];
    const deadline = Date.now() + REQUEST_TIMEOUT_MS;
    while (!done && Date.now() < deadline) {
      const t = performance.now();
      latencies.push(await health());
      const wait = 10 - (performance.now() - t);
      if (wait > 0) await sleep(wait);
    }
    return latencies;
  };

  log('analysis: warm-up 30-day analysis…');
  await ask(url, ENERGY_30D);
  const idle = await poll(sleep(1000));
  const during = [];
  let analysisMs = [];
  for (let i = 0; i < stallRuns; i++) {
    const run = ask(url, ENERGY_30D);
    during.push(...(await poll(run)));
    analysisMs.push(await run);
  }
  const stall = {
    idleP50: percentile(idle, 50),
    idleMax: Math.max(...idle),
    samples: during.length,
    p50: percentile(during, 50),
    p99: percentile(during, 99),
    max: Math.max(...during),
    analysisMs: percentile(analysisMs, 50),
  };
  log(`  health during analysis: max ${stall.max.toFixed(1)} ms, p99 ${stall.p99.toFixed(1)} ms over ${during.length} polls`);

  log(`analysis: 4 one after another, then 4 at once (${throughputPairs} pair(s))…`);
  const pairs = [];
  for (let i = 0; i < throughputPairs; i++) {
    let t = performance.now();
    for (let j = 0; j < 4; j++) await ask(url, ENERGY_30D);
    const sequentialMs = performance.now() - t;
    t = performance.now();
    await Promise.all([0, 1, 2, 3].map(() => ask(url, ENERGY_30D)));
    const parallelMs = performance.now() - t;
    pairs.push({ sequentialMs, parallelMs, ratio: parallelMs / sequentialMs });
    log(`  4 sequential ${(sequentialMs / 1000).toFixed(2)} s, 4 parallel ${(parallelMs / 1000).toFixed(2)} s`);
  }
  // The pair with the median ratio (the upper one of an even count) gives every figure of the row.
  const median = [...pairs].sort((x, y) => x.ratio - y.ratio)[Math.floor(pairs.length / 2)];
  const throughput = {
    sequentialMs: median.sequentialMs,
    parallelMs: median.parallelMs,
    perSecond1: 4 / (median.sequentialMs / 1000),
    perSecond4: 4 / (median.parallelMs / 1000),
    ratio: median.ratio,
    ratios: pairs.map((pair) => pair.ratio),
  };

  // A year: hourly long-term statistics, with history only for the last days.
  log('analysis: the last 365 days, 5 times…');
  const yearMs = [];
  for (let i = 0; i < 5; i++) yearMs.push(await ask(url, ENERGY_365D));
  const year = { p50: percentile(yearMs, 50), max: Math.max(...yearMs), runs: yearMs.length };
  log(`  365 days: p50 ${year.p50.toFixed(0)} ms`);
  return { stall, throughput, year };
}

/**
 * The distributed stack under load: a burst of `burst` concurrent streaming chats, then a soak of
 * `soakMs` keeping `soakConcurrency` chats in flight (both bounded), mixed questions as in the load
 * e2e test. Reports errors, latencies and how much the stack's memory grew.
 */
export async function runLoad({ fleet, burst, soakMs, soakConcurrency, idleMs, log }) {
  if (!fleet.stack) {
    log('load: starting the distributed stack (fresh data dir)…');
    await fleet.startStack(embeddedEnv(fleet.dataDir('load'), await fleet.home()));
  }
  const url = fleet.procs.gateway.url;
  const chat = (i) => streamChat(url, API_KEY, LOAD_QUESTIONS[i % LOAD_QUESTIONS.length], { withHistory: i % 3 === 0, timeoutMs: REQUEST_TIMEOUT_MS });
  const summary = (results, wallMs) => {
    const errors = results.filter((r) => !r.ok);
    const ms = results.map((r) => r.ms);
    return {
      chats: results.length,
      errors: errors.length,
      firstErrors: [...new Set(errors.map((r) => `${r.question}: ${r.problem}`))].slice(0, 5),
      p50: percentile(ms, 50),
      p95: percentile(ms, 95),
      perSecond: results.length / (wallMs / 1000),
    };
  };

  for (let i = 0; i < LOAD_QUESTIONS.length; i++) await chat(i); // warm-up: every path once
  await sleep(idleMs);
  const rssBefore = fleet.rss().total;

  log(`load: ${burst} concurrent streaming chats…`);
  let t = performance.now();
  const burstResults = await Promise.all(Array.from({ length: burst }, (_, i) => chat(i)));
  const burstSummary = summary(burstResults, performance.now() - t);
  log(`  ${burstSummary.errors} errors, p50 ${burstSummary.p50.toFixed(0)} ms, p95 ${burstSummary.p95.toFixed(0)} ms`);

  // The soak runs in two equal halves, memory read after each once the stack is idle again: a heap
  // that grows to fit the load grows in the first half; only a leak keeps growing in the second.
  log(`load: soak, ${soakConcurrency} chats in flight for ${soakMs / 1000} s (two halves)…`);
  const soakResults = [];
  let next = 0;
  const soakFor = async (ms) => {
    const end = performance.now() + ms;
    await Promise.all(
      Array.from({ length: soakConcurrency }, async () => {
        while (performance.now() < end) soakResults.push(await chat(next++));
      }),
    );
  };
  t = performance.now();
  await soakFor(soakMs / 2);
  const soakWallMs = performance.now() - t;
  await sleep(idleMs);
  const rssMid = fleet.rss();
  t = performance.now();
  await soakFor(soakMs / 2);
  const soakSummary = summary(soakResults, soakWallMs + performance.now() - t);
  log(`  ${soakSummary.chats} chats, ${soakSummary.errors} errors, ${soakSummary.perSecond.toFixed(1)}/s, p95 ${soakSummary.p95.toFixed(0)} ms`);

  await sleep(idleMs);
  const rssEnd = fleet.rss();
  const perService = Object.fromEntries(
    Object.keys(rssEnd.services).map((name) => [name, { mid: rssMid.services[name], end: rssEnd.services[name] }]),
  );
  return {
    burst: burstSummary,
    soak: soakSummary,
    rss: {
      before: rssBefore,
      mid: rssMid.total,
      after: rssEnd.total,
      growth: rssEnd.total - rssBefore,
      secondHalfGrowth: rssEnd.total - rssMid.total,
      perService,
    },
  };
}
