export { HomeAssistantClient, HomeAssistantError, type HomeAssistantErrorKind } from './lib/home-assistant.client';
export type * from './lib/home-assistant.types';
export type { HomeAssistantConnectionOptions } from './lib/home-assistant-connection-options';
export { HttpHomeAssistantClient } from './lib/http-home-assistant.client';
export { createHomeAssistantClient } from './lib/create-home-assistant-client';
export { HomeAssistantModule, type HomeAssistantModuleAsyncOptions } from './lib/home-assistant.module';
