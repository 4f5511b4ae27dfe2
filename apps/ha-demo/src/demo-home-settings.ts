import { loadConfig, type AetherConfig } from '@aether/config';

/** HA's own port, so HA_URL=http://127.0.0.1:8123 works the same for the demo and a real HA. */
export const DEMO_HOME_DEFAULT_PORT = 8123;

export type DemoHomeSettings = AetherConfig['ha']['demo'] & { host: string; port: number };

/**
 * HOST, PORT, HA_DEMO_TOKEN (the token the demo accepts — what a client would put in HA_TOKEN)
 * HA_DEMO_FIXTURE (another house to serve) and the HA behaviours the demo imitates
 * (HA_DEMO_CONFIG_RELOAD_MS, …) are read and validated by the shared config.
 */
export function readDemoHomeSettings(env: NodeJS.ProcessEnv = process.env): DemoHomeSettings {
  const config = loadConfig(env);
  return {
    host: config.host,
    port: config.port ?? DEMO_HOME_DEFAULT_PORT,
    ...config.ha.demo,
  };
}
