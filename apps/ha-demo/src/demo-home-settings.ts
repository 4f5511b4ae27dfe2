import { loadConfig } from '@aether/config';

/** HA's own port, so HA_URL=http://127.0.0.1:8123 works the same for the demo and a real HA. */
export const DEMO_HOME_DEFAULT_PORT = 8123;

export interface DemoHomeSettings {
  host: string;
  port: number;
  token: string;
  /** Path of a house fixture (JSON) to serve instead of the built-in demo house. */
  fixture?: string;
}

/**
 * HOST, PORT, HA_DEMO_TOKEN (the token the demo accepts — what a client would put in HA_TOKEN)
 * and HA_DEMO_FIXTURE (another house to serve) are read and validated by the shared config.
 */
export function readDemoHomeSettings(env: NodeJS.ProcessEnv = process.env): DemoHomeSettings {
  const config = loadConfig(env);
  return {
    host: config.host,
    port: config.port ?? DEMO_HOME_DEFAULT_PORT,
    token: config.ha.demo.token,
    ...(config.ha.demo.fixture ? { fixture: config.ha.demo.fixture } : {}),
  };
}
