/**
 * Loaded with `node --import` before a benchmark (the way an app's main.js starts tracing before
 * its own modules): OpenTelemetry's Node SDK with Aether's instrumentations, as an agent service
 * has them (the hop bench serves the librarian), exporting to whatever the OTEL_* variables name.
 */
import { startTracing } from '@aether/observability';

if (!(await startTracing({ service: 'librarian', version: 'bench' }))) throw new Error('tracing-preload: no exporter configured (set OTEL_EXPORTER_OTLP_ENDPOINT)');
