/**
 * Loaded with `node --import` before a benchmark (the way an app's main.js starts tracing before
 * its own modules): OpenTelemetry's Node SDK with Aether's instrumentations, exporting to whatever
 * the standard OTEL_* variables name.
 */
import { startTracing } from '@aether/observability';

if (!(await startTracing({ service: 'bench', version: 'bench' }))) throw new Error('tracing-preload: no exporter configured (set OTEL_EXPORTER_OTLP_ENDPOINT)');
