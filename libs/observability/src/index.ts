export * from './lib/metrics.registry';
export * from './lib/metrics.module';
