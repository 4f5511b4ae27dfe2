import type { IncomingMessage, RequestOptions } from 'node:http';
import { currentLogContext, GEN_AI, isAgentName } from '@aether/core';
import { isProbePath } from '../probe-paths';

/** What names a process in its traces. */
export interface TracingIdentity {
  /** `service.name`: the app ("gateway", "architect", …). */
  service: string;
  /** `service.version`: Aether's version. */
  version: string;
}

/** The running SDK, ended by `stopTracing`. */
let running: { shutdown(): Promise<void> } | undefined;

/**
 * Whether this process exports traces: the standard OpenTelemetry variables decide. An OTLP
 * endpoint (`OTEL_EXPORTER_OTLP_ENDPOINT` or `…_TRACES_ENDPOINT`) or an `OTEL_TRACES_EXPORTER`
 * other than `none` turns it on; `OTEL_SDK_DISABLED=true` keeps it off. With none of them set,
 * nothing is loaded and nothing is logged about it.
 */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  const set = (name: string) => Boolean(env[name]?.trim());
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false;
  const exporters = env['OTEL_TRACES_EXPORTER']?.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean) ?? [];
  if (exporters.length > 0) return !exporters.includes('none');
  return set('OTEL_EXPORTER_OTLP_ENDPOINT') || set('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
}

/**
 * Starts OpenTelemetry's Node SDK before anything else of the process is loaded (the app's
 * `main.js` calls it first), so its instrumentations wrap `http` (the gateway's requests),
 * `fetch` (Home Assistant, the LLM) and `pg` as they load. W3C trace context and baggage
 * propagate on every outgoing call. Exporters, sampler and limits come from the standard
 * `OTEL_*` variables; Aether's metrics stay on `/metrics` and its logs on stdout, so the SDK's own
 * metric and log exporters stay off unless `OTEL_METRICS_EXPORTER` / `OTEL_LOGS_EXPORTER` ask.
 *
 * The SDK (every exporter it may need, ~35 MB per process) is imported only when tracing is
 * configured: a process that exports nothing does not carry it.
 */
export async function startTracing(identity: TracingIdentity, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (running || !tracingConfigured(env)) return Boolean(running);
  const [{ startNodeSdk }, { HttpInstrumentation }, { UndiciInstrumentation }, { PgInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/instrumentation-pg'),
  ]);
  running = startNodeSdk({
    resourceAttributes: {
      'service.name': identity.service,
      'service.version': identity.version,
      'aether.deployment_mode': env['DEPLOYMENT_MODE']?.trim().toLowerCase() || 'monolith',
    },
    ...(env['OTEL_METRICS_EXPORTER']?.trim() ? {} : { metricReaders: [] }),
    ...(env['OTEL_LOGS_EXPORTER']?.trim() ? {} : { logRecordProcessors: [] }),
    instrumentations: [
      // Route names come from Aether's HTTP middleware (`HttpMetricsMiddleware`), not from patching express.
      // A2A hops are left to Aether's own spans: the client injects the caller's context, the serving
      // executor's `invoke_agent` span continues it. Generic client and server spans on every hop
      // added ~0.13 ms to a 0.5 ms hop (npm run bench, +28 %) and told nothing the task span does not.
      new HttpInstrumentation({
        disableIncomingRequestInstrumentation: isAgentName(identity.service),
        ignoreIncomingRequestHook: (request: IncomingMessage) => isProbePath(request.url),
        ignoreOutgoingRequestHook: (request: RequestOptions) => isProbePath(request.path ?? undefined) || isA2aCall(request),
        startOutgoingSpanHook: conversationAttributes,
      }),
      new UndiciInstrumentation({ ignoreRequestHook: (request) => isProbePath(request.path), startSpanHook: conversationAttributes }),
      new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true, requestHook: (span) => span.setAttributes(conversationAttributes()) }),
    ],
  });
  return true;
}

/** A call of the A2A client (its JSON-RPC transport names the protocol version in a header). */
function isA2aCall(request: RequestOptions): boolean {
  return Object.keys(request.headers ?? {}).some((name) => name.toLowerCase() === 'a2a-version');
}

/** The conversation of the work now running, for the spans the instrumentations make. */
function conversationAttributes(): Record<string, string> {
  const conversationId = currentLogContext()?.conversationId;
  return conversationId ? { [GEN_AI.conversationId]: conversationId } : {};
}

/** Exports the spans still queued and stops tracing (at shutdown); nothing when tracing is off. */
export async function stopTracing(): Promise<void> {
  const sdk = running;
  running = undefined;
  await sdk?.shutdown();
}
