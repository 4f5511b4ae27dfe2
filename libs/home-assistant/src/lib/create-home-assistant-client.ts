import type { HomeAssistantConnectionOptions } from './home-assistant-connection-options';
import { HttpHomeAssistantClient } from './http-home-assistant.client';

/** A client for one HA instance, for code that runs without Nest (scripts, tests, tools). */
export function createHomeAssistantClient(options: HomeAssistantConnectionOptions): HttpHomeAssistantClient {
  return new HttpHomeAssistantClient(options);
}
