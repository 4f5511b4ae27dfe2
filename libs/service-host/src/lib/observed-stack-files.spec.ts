import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGENT_TABLE } from '@aether/core';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const observability = 'docker/observability';

/** The compose services that run Aether: the gateway (`app`) and one per agent. */
const AETHER_SERVICES = ['app', ...AGENT_TABLE.map((agent) => agent.name)];

interface DataSourceRef {
  type?: string;
  uid?: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: DataSourceRef;
  targets?: Array<{ refId: string; expr: string; datasource?: DataSourceRef }>;
  repeat?: string;
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; datasource?: DataSourceRef }> };
}

/** The provisioned dashboards, by file name. */
function provisionedDashboards(): Map<string, Dashboard> {
  const dir = path.join(root, observability, 'grafana/dashboards');
  return new Map(readdirSync(dir).map((file) => [file, JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Dashboard]));
}

describe('the observed stack\'s files (compose.observability.yaml, docker/observability/)', () => {
  it('Prometheus scrapes the gateway and every agent of AGENT_TABLE every 15 s', () => {
    const config = parse(read(`${observability}/prometheus/prometheus.yml`));
    expect(config.global.scrape_interval).toBe('15s');
    const targets = config.scrape_configs.flatMap((job: { static_configs: Array<{ targets: string[] }> }) => job.static_configs.flatMap((group) => group.targets));
    expect([...targets].sort()).toEqual(AETHER_SERVICES.map((service) => `${service}:8000`).sort());
  });

  it('every Aether service of the observed stack sends its traces to MLflow unless .env says otherwise', () => {
    const compose = parse(read('compose.observability.yaml'));
    for (const service of AETHER_SERVICES) {
      expect(compose.services[service]?.environment).toEqual({
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '${OTEL_EXPORTER_OTLP_TRACES_ENDPOINT:-http://mlflow:5000/v1/traces}',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: '${OTEL_EXPORTER_OTLP_TRACES_HEADERS:-x-mlflow-experiment-id=0}',
      });
    }
    // Grafana on 3001, Prometheus on 9090, Loki on 3100, each overridable.
    expect(compose.services.grafana.ports).toEqual(['${AETHER_BIND_ADDRESS:-127.0.0.1}:${GRAFANA_PORT:-3001}:3000']);
    expect(compose.services.prometheus.ports).toEqual(['${AETHER_BIND_ADDRESS:-127.0.0.1}:${PROMETHEUS_PORT:-9090}:9090']);
    expect(compose.services.loki.ports).toEqual(['${AETHER_BIND_ADDRESS:-127.0.0.1}:${LOKI_PORT:-3100}:3100']);
    // Official images, pinned to a version.
    for (const service of ['prometheus', 'loki', 'alloy', 'grafana']) expect(compose.services[service].image).toMatch(/^\$\{[A-Z_]+_IMAGE:-docker\.io\/(prom|grafana)\/[a-z]+:v?\d+\.\d+\.\d+\}$/);
  });

  it('the dashboards are Grafana dashboards whose every data source is a provisioned one: Agent Health (the four panels per service), LLM & tools, Home Assistant', () => {
    const provisioned = parse(read(`${observability}/grafana/provisioning/datasources/datasources.yaml`)).datasources as Array<{ uid: string; type: string; name: string }>;
    const known = new Set(provisioned.map((source) => `${source.type}/${source.uid}`));
    expect(known).toEqual(new Set(['prometheus/prometheus', 'loki/loki']));
    const dashboards = provisionedDashboards();
    expect([...dashboards.values()].map((dashboard) => dashboard.title).sort()).toEqual(['Aether — Agent Health', 'Aether — Home Assistant', 'Aether — LLM & tools']);
    for (const [file, dashboard] of dashboards) {
      expect({ file, uid: dashboard.uid }).toEqual({ file, uid: expect.stringMatching(/^[a-z0-9-]{1,40}$/) });
      expect(typeof dashboard.schemaVersion).toBe('number');
      const ids = dashboard.panels.map((panel) => panel.id);
      expect(new Set(ids).size).toBe(ids.length);
      const variables = new Set(dashboard.templating.list.map((variable) => variable.name));
      for (const variable of dashboard.templating.list) if (variable.datasource) expect(known).toContain(`${variable.datasource.type}/${variable.datasource.uid}`);
      for (const panel of dashboard.panels) {
        expect(panel.gridPos.w).toBeGreaterThan(0);
        expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
        if (panel.repeat) expect(variables).toContain(panel.repeat);
        if (panel.type === 'row') continue;
        expect(known).toContain(`${panel.datasource?.type}/${panel.datasource?.uid}`);
        expect(panel.targets?.length).toBeGreaterThan(0);
        for (const target of panel.targets ?? []) {
          expect(target.expr.trim()).not.toBe('');
          expect(target.datasource).toEqual(panel.datasource);
          // Only the variables the dashboard defines and Grafana's own ($__rate_interval, …).
          for (const [, name] of target.expr.matchAll(/\$(\w+)/g)) if (!name.startsWith('__')) expect(variables).toContain(name);
        }
      }
    }
    const health = dashboards.get('agent-health.json')!;
    const row = health.panels.findIndex((panel) => panel.repeat === 'service');
    const perService = health.panels.slice(row + 1, row + 5).map((panel) => panel.title);
    expect(perService).toEqual(['Request rate', 'Latency p95', 'Error rate', 'Active requests']);
  });

  it('Grafana provisions the dashboards from the directory compose mounts', () => {
    const providers = parse(read(`${observability}/grafana/provisioning/dashboards/dashboards.yaml`)).providers;
    expect(providers).toEqual([expect.objectContaining({ type: 'file', options: { path: '/var/lib/grafana/dashboards' } })]);
    expect(read('compose.observability.yaml')).toContain('./docker/observability/grafana/dashboards:/var/lib/grafana/dashboards:ro');
  });
});
