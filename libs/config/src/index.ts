export * from './lib/aether-config';
export * from './lib/config.module';
