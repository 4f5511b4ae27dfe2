import { freePort, HA_DEMO_TOKEN, startApp, startDemoHomeApp as startDemoHomeOn, type StartedApp } from '../../../../tools/start-distributed/stack.mjs';
import { embeddedDefaultsEnv } from './gateway-client';

/** The demo home as its own process (the ha-demo app) on a free port, as a real HA would be: a separate server. */
export async function startDemoHomeApp(env: Record<string, string> = {}): Promise<StartedApp> {
  return startDemoHomeOn({ port: await freePort(), env: { LOG_LEVEL: 'warn', ...env } });
}

/** GET on the demo home's REST API, expecting 200. */
export async function haGet<T>(home: StartedApp, path: string): Promise<T> {
  const res = await fetch(`${home.url}${path}`, { headers: { Authorization: `Bearer ${HA_DEMO_TOKEN}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/** Calls a service on the demo home directly (the test acting as the household, not through Aether). */
export async function haCall(home: StartedApp, service: string, entityId: string): Promise<void> {
  const [domain, name] = service.split('.');
  const res = await fetch(`${home.url}/api/services/${domain}/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${HA_DEMO_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ entity_id: entityId }),
  });
  expect(res.status).toBe(200);
}

/**
 * A monolith gateway talking to `home` (a standalone demo home, as a real HA is), with the embedded
 * defaults for the rest and `env` on top; resolves once it is ready (`/api/v1/ready`).
 */
export async function startMonolithGateway(home: StartedApp, { env = {}, timeoutMs }: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<StartedApp> {
  return startApp('gateway', {
    port: await freePort(),
    env: { ...embeddedDefaultsEnv(), DEPLOYMENT_MODE: 'monolith', HA_URL: home.url, HA_TOKEN: HA_DEMO_TOKEN, ...env },
    healthPath: '/api/v1/ready',
    ...(timeoutMs ? { timeoutMs } : {}),
  });
}
