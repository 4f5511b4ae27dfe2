import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** OpenTelemetry's advisory buckets for `http.server.request.duration` (seconds). */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/**
 * One Prometheus registry per process, labelled with the service name. HTTP metric names match
 * the ones the Grafana dashboard of the original Aether queries (`http_requests_total`,
 * `http_request_duration_seconds`, `http_requests_in_progress`).
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'handler' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'handler' | 'status'>;
  readonly httpInProgress: Gauge<'method'>;

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.httpRequests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests handled, by route template and status code',
      labelNames: ['method', 'handler', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds (until the response finished, streams included)',
      labelNames: ['method', 'handler', 'status'],
      buckets: HTTP_DURATION_BUCKETS,
      registers: [this.registry],
    });
    this.httpInProgress = new Gauge({
      name: 'http_requests_in_progress',
      help: 'HTTP requests currently being handled (health probes and metrics scrapes not counted)',
      labelNames: ['method'],
      registers: [this.registry],
    });
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return this.existing(name) ?? new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string>(name: string, help: string, labelNames: readonly L[] = [], buckets?: number[]): Histogram<L> {
    // prom-client reads `buckets` when the key is present: without buckets it must be absent (its defaults apply).
    return this.existing(name) ?? new Histogram({ name, help, labelNames, ...(buckets ? { buckets } : {}), registers: [this.registry] });
  }

  gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return this.existing(name) ?? new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  private existing<T>(name: string): T | undefined {
    return this.registry.getSingleMetric(name) as T | undefined;
  }
}
