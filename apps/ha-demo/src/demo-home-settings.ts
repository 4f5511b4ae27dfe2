import { loadConfig } from '@aether/config';
import { DEFAULT_DEMO_TOKEN } from '@aether/ha-demo';

/** HA's own port, so HA_URL=http://127.0.0.1:8123 works the same for the demo and a real HA. */
export const DEMO_HOME_DEFAULT_PORT = 8123;

export interface DemoHomeSettings {
  host: string;
  port: number;
  token: string;
}

/**
 * HOST and PORT are validated by the shared config; HA_DEMO_TOKEN is this app's own setting (the
 * token the demo accepts — what a client would put in HA_TOKEN).
 */
export function readDemoHomeSettings(env: NodeJS.ProcessEnv = process.env): DemoHomeSettings {
  const config = loadConfig(env);
  return {
    host: config.host,
    port: config.port ?? DEMO_HOME_DEFAULT_PORT,
    token: env['HA_DEMO_TOKEN']?.trim() || DEFAULT_DEMO_TOKEN,
  };
}
