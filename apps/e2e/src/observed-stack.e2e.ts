import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { freePort, startDistributedStack, type DistributedStack } from '../../../tools/start-distributed/stack.mjs';
import { stackDatabase, type E2eDatabase } from './support/database';
import { FakeLlmServer } from './support/fake-llm-server';
import { ENERGY_QUESTION, openaiClient } from './support/gateway-client';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const observability = path.join(root, 'docker/observability');

/** Debian's Prometheus (.ci/run installs it); outside CI a machine without it skips this file. */
const prometheusBinary = spawnSync('prometheus', ['--version']).status === 0 ? 'prometheus' : undefined;
if (!prometheusBinary && process.env['CI']) throw new Error('prometheus is not installed: .ci/run installs it (apt-get install prometheus)');
const describeWithPrometheus = prometheusBinary ? describe : describe.skip;

interface PanelQuery {
  dashboard: string;
  panel: string;
  expr: string;
}

/** Every query of every panel of every provisioned dashboard. */
function panelQueries(): PanelQuery[] {
  const dir = path.join(observability, 'grafana/dashboards');
  return readdirSync(dir).flatMap((file) => {
    const dashboard = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { title: string; panels: Array<{ title: string; targets?: Array<{ expr: string }> }> };
    return dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ dashboard: dashboard.title, panel: panel.title, expr: target.expr })));
  });
}

/** A query as Grafana sends it: its variables and interval macros given values (every service; a 30 s window at a 1 s scrape). */
function asGrafanaSends(expr: string, service = '.*'): string {
  return expr.replaceAll('$__rate_interval', '30s').replaceAll('$__interval', '1s').replaceAll('$service', service);
}

/**
 * The observed stack's metrics, for real: Prometheus itself scrapes the distributed process stack
 * with the scrape configuration of compose.observability.yaml (its targets pointed at the
 * stack's loopback ports, scraped every second), and every panel of every provisioned Grafana
 * dashboard must find data through Prometheus's HTTP API after some traffic.
 */
describeWithPrometheus('the observed stack: Prometheus scrapes every service and every dashboard panel has data', () => {
  const llm = new FakeLlmServer();
  let stack: DistributedStack;
  let database: E2eDatabase | undefined;
  let prometheus: ChildProcess | undefined;
  let prometheusUrl: string;
  let dataDir: string;

  beforeAll(async () => {
    llm.open();
    stack = await startDistributedStack({
      randomPorts: true,
      env: { ...(database = await stackDatabase()).env, LLM_BASE_URL: await llm.start(), LLM_API_KEY: 'fake-key', LLM_MODEL: 'fake-model' },
      log: () => undefined,
    });

    // compose.observability.yaml's scrape configuration, its `<service>:8000` targets replaced by the stack's ports.
    const config = parse(readFileSync(path.join(observability, 'prometheus/prometheus.yml'), 'utf8'));
    const urls: Record<string, string> = { app: stack.gateway.url, ...Object.fromEntries(Object.entries(stack.agents).map(([name, app]) => [name, app.url])) };
    for (const job of config.scrape_configs) {
      for (const group of job.static_configs) group.targets = group.targets.map((target: string) => new URL(urls[target.replace(/:8000$/, '')]).host);
    }
    config.global.scrape_interval = '1s';
    dataDir = mkdtempSync(path.join(tmpdir(), 'aether-prometheus-'));
    writeFileSync(path.join(dataDir, 'prometheus.yml'), stringify(config));
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(prometheusBinary!, [`--config.file=${path.join(dataDir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dataDir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    await until(async () => (await fetch(`${prometheusUrl}/-/ready`).catch(() => undefined))?.ok === true, 'Prometheus ready');
  });
  afterAll(async () => {
    prometheus?.kill();
    await stack?.stop();
    await llm.stop();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const response = await fetch(`${prometheusUrl}/api/v1/query?${new URLSearchParams({ query: expr })}`);
    const body = (await response.json()) as { status: string; error?: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
    return body.data.result;
  }

  /** Polls `check` until it holds (each poll waits a quarter of a scrape interval), or fails naming `what`. */
  async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it('scrapes the gateway and all seven agents', async () => {
    await until(async () => (await query('up == 1')).length === 8, 'every target up');
    expect(new Set((await query('up')).map((series) => series.metric['instance']))).toEqual(
      new Set([stack.gateway.url, ...Object.values(stack.agents).map((app) => app.url)].map((url) => new URL(url).host)),
    );
  });

  it('has data for every panel query of every dashboard after a few chats', async () => {
    const client = openaiClient(stack.gateway.url);
    await client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: ENERGY_QUESTION }] });
    for await (const _chunk of await client.chat.completions.create({ model: 'fake-model', stream: true, messages: [{ role: 'user', content: ENERGY_QUESTION }] }));

    const queries = panelQueries();
    expect(queries.length).toBeGreaterThanOrEqual(15);
    const empty = async () => {
      const results = await Promise.all(queries.map(async (q) => ({ ...q, series: await query(asGrafanaSends(q.expr)) })));
      return results.filter((result) => result.series.length === 0).map((result) => `${result.dashboard} › ${result.panel}`);
    };
    let missing: string[] = [];
    await until(async () => (missing = await empty()).length === 0, 'data for every panel').catch(() => {
      throw new Error(`panels without data: ${missing.join(', ')}`);
    });
  });

  it('shows an active request on the gateway while a chat is in flight, and none once it is answered', async () => {
    const activeRequests = panelQueries().find((q) => q.dashboard === 'Aether — Agent Health' && q.panel === 'Active requests')!.expr;
    const gatewayActive = async () => Number((await query(asGrafanaSends(activeRequests, 'gateway')))[0]?.value[1] ?? NaN);
    const held = llm.holdNextRequest();
    const chat = openaiClient(stack.gateway.url).chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: ENERGY_QUESTION }] });
    try {
      await held.arrived;
      await until(async () => (await gatewayActive()) > 0, 'the held chat counted as active');
    } finally {
      held.release();
    }
    await chat;
    await until(async () => (await gatewayActive()) === 0, 'no active request once answered');
  });
});
