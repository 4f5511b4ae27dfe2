export * from './lib/bootstrap';
export * from './lib/service-modules';
export { HomeAssistantConnection } from './lib/home-assistant-host.module';
