export * from './lib/metrics.registry';
export * from './lib/metrics.module';
export * from './lib/logging/process-logger';
export * from './lib/logging/pino-nest.logger';
export * from './lib/logging/secret-scrubber';
export * from './lib/tracing/start-tracing';
