export * from './lib/bootstrap';
export * from './lib/service-modules';
