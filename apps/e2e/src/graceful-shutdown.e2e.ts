import { startDemoHomeApp, freePort, type StartedApp } from '../../../tools/start-distributed/stack.mjs';
import { startMonolithGateway } from './support/demo-home';
import { API_KEY, openaiClient } from './support/gateway-client';

/**
 * SIGTERM while a chat streams (a container stop, a Ctrl-C on `nx serve`): readiness fails first,
 * new requests get 503, the stream in flight finishes as it would have, and the process exits 0.
 */
describe('graceful shutdown (a real gateway process)', () => {
  let home: StartedApp;
  let gateway: StartedApp;

  beforeAll(async () => {
    home = await startDemoHomeApp({ port: await freePort() });
    gateway = await startMonolithGateway(home);
  });
  afterAll(async () => {
    home?.child.kill('SIGCONT');
    await gateway?.stop();
    await home?.stop();
  });

  it('finishes the stream in flight, answers new requests 503 while draining, and exits 0', async () => {
    // The home is frozen, so the analysis in flight waits on its history call (HA_TIMEOUT_MS is 30 s)
    // until the test lets it go: the drain window is held open by the test, not by timing.
    expect(home.child.kill('SIGSTOP')).toBe(true);
    const stream = await openaiClient(gateway.url).chat.completions.create({
      model: 'aether-offline',
      stream: true,
      messages: [{ role: 'user', content: 'Analyze my energy usage for the last 30 days' }],
    });
    const chunks = stream[Symbol.asyncIterator]();
    const first = await chunks.next();
    expect(first.done).toBe(false);

    gateway.child.kill('SIGTERM');

    // Readiness fails first (liveness stays 200): wait for it, then a new chat is refused.
    let ready: { status: number; failing: string[] };
    do {
      const response = await fetch(`${gateway.url}/api/v1/ready`);
      ready = { status: response.status, failing: ((await response.json()) as { failing?: string[] }).failing ?? [] };
    } while (!ready.failing.includes('accepting'));
    expect(ready.status).toBe(503);
    expect((await fetch(`${gateway.url}/api/v1/health`)).status).toBe(200);
    const refused = await fetch(`${gateway.url}/api/v1/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ model: 'aether-offline', messages: [{ role: 'user', content: 'What lights are on?' }] }),
    });
    expect(refused.status).toBe(503);
    expect((await refused.json()).error).toMatchObject({ message: expect.any(String) });

    // The stream started before the signal runs to its normal end once the home answers again.
    expect(home.child.kill('SIGCONT')).toBe(true);
    let content = '';
    let finish: string | null | undefined;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
      content += next.value.choices[0]?.delta?.content ?? '';
      finish = next.value.choices[0]?.finish_reason ?? finish;
    }
    expect(finish).toBe('stop');
    expect(content).toContain('Energy Analyst');

    expect(await gateway.exited).toEqual({ code: 0, signal: null });
  });
});
