import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDemoHome } from '@aether/ha-demo';
import { checkHa, CHECK_HA_EXIT } from './check-ha';

async function run(env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await checkHa(env, (text) => lines.push(text));
  return { code, output: lines.join('\n') };
}

describe('npm run check:ha', () => {
  it('without HA_URL checks the bundled demo home: every call compatible, exit 0', async () => {
    const { code, output } = await run({ HA_DEMO_ENERGY_PREFS: 'legacy' });
    expect(code).toBe(CHECK_HA_EXIT.compatible);
    expect(output).toContain('HA_URL is not set: checking the bundled demo home (energy prefs: legacy, installation: core).');
    expect(output).toContain('ok    WS energy/get_prefs — legacy grid shape');
    expect(output).not.toMatch(/^(FAIL|skip)/m);
    expect(output).toMatch(/\n26 compatible, 0 incompatible, 0 skipped: Aether can work with this Home Assistant\.$/);
  }, 60_000);

  it('checks the HA at HA_URL with HA_TOKEN, and says which calls need rights the token lacks', async () => {
    const home = await startDemoHome({ admin: false, token: 'limited-token' });
    try {
      const { code, output } = await run({ HA_URL: home.url, HA_TOKEN: 'limited-token' });
      expect(code).toBe(CHECK_HA_EXIT.compatible);
      expect(output).toContain(`against ${home.url} (read-only)`);
      expect(output).toContain("skip  POST /api/template — needs an administrator; the HA token's user is not one");
      expect(home.mutations()).toEqual([]);
    } finally {
      await home.stop();
    }
  }, 60_000);

  it('reports a clear incompatibility and exits 1 when the server at HA_URL answers differently', async () => {
    // Answers the API root as HA does, and everything else with an HTML page.
    const server: Server = createServer((req, res) => {
      if (req.url === '/api/') res.writeHead(200, { 'content-type': 'application/json' }).end('{"message":"API running."}');
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<html>not Home Assistant</html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { code, output } = await run({ HA_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, HA_TOKEN: 't', HA_TIMEOUT_MS: '2000' });
      expect(code).toBe(CHECK_HA_EXIT.incompatible);
      expect(output).toContain('ok    GET /api/ — API running.');
      expect(output).toMatch(/^FAIL {2}GET \/api\/config — .+/m);
      expect(output).toMatch(/Aether relies on the calls marked FAIL\.$/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);

  it('stops at an unreachable HA with one clear failure, and refuses HA_URL without HA_TOKEN', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const { code, output } = await run({ HA_URL: `http://127.0.0.1:${port}`, HA_TOKEN: 't', HA_TIMEOUT_MS: '2000' });
    expect(code).toBe(CHECK_HA_EXIT.incompatible);
    expect(output.match(/^FAIL/gm)).toHaveLength(1);
    expect(output).toMatch(/^FAIL {2}GET \/api\/ — Home Assistant at .+ is unreachable/m);
    expect(output).toContain('skip  GET /api/config — not run: Home Assistant is unreachable');

    const noToken = await run({ HA_URL: 'http://127.0.0.1:8123' });
    expect(noToken.code).toBe(CHECK_HA_EXIT.usage);
    expect(noToken.output).toContain('HA_URL is set but HA_TOKEN is not');
  }, 60_000);
});
