import { freePort, startApp, type StartedApp } from '../../../tools/start-distributed/stack.mjs';
import { embeddedDefaultsEnv, ENERGY_QUESTION, openaiClient } from './support/gateway-client';

/** A monolith whose custom analysis has no sandbox (AETHER_SANDBOX=off), as on a host without gVisor or bubblewrap. */
describe('custom analysis without a sandbox (monolith, AETHER_SANDBOX=off)', () => {
  let gateway: StartedApp;

  beforeAll(async () => {
    gateway = await startApp('gateway', {
      port: await freePort(),
      env: { ...embeddedDefaultsEnv(), DEPLOYMENT_MODE: 'monolith', AETHER_SANDBOX: 'off' },
      healthPath: '/api/v1/health',
    });
  });
  afterAll(() => gateway?.stop());

  const ask = async (question: string) =>
    (await openaiClient(gateway.url).chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: question }] })).choices[0].message.content ?? '';

  it('refuses the custom analysis with a clear message, runs nothing, and the other analysts still answer', async () => {
    const refused = await ask('Does the heat pump run more on cold days?');
    expect(refused).toContain('**Custom Analysis:** Custom analysis runs the analysis script it writes only inside a sandbox, and none is available here');
    expect(refused).toContain('Aether never runs such a script unconfined');
    expect(refused).not.toMatch(/a Python script run in the/);

    const energy = await ask(ENERGY_QUESTION);
    expect(energy).toMatch(/^Total: \d+\.\d{3} kWh$/m);
  });
});
