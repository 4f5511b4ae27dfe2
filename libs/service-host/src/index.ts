export * from './lib/bootstrap';
export * from './lib/service-modules';
export * from './lib/shutdown-state.module';
export * from './lib/http/http-server-timeouts';
export * from './lib/http/graceful-shutdown';
