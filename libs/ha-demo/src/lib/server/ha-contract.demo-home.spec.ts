import { checkHomeAssistantContract, createHomeAssistantClient, formatContractReport, type ContractReport } from '@aether/home-assistant';
import { startDemoHome, type DemoHomeOptions } from './start-demo-home';

// The contract `npm run check:ha` checks a real Home Assistant with, run against the demo home:
// the demo must satisfy every call Aether makes, in every variant it imitates.

async function contractAgainst(options: DemoHomeOptions): Promise<{ report: ContractReport; mutations: number }> {
  const home = await startDemoHome(options);
  const client = createHomeAssistantClient({ url: home.url, token: home.token, timeoutMs: 10_000 });
  try {
    return { report: await checkHomeAssistantContract(client), mutations: home.mutations().length };
  } finally {
    await client.close();
    await home.stop();
  }
}

const outcome = (report: ContractReport, call: string) => report.results.find((result) => result.call === call);

describe('the Home Assistant contract against the demo home', () => {
  it.each(['unified', 'legacy'] as const)('is compatible on every call with %s energy prefs, and changes nothing', async (energyPrefsShape) => {
    const { report, mutations } = await contractAgainst({ energyPrefsShape });
    expect(report.results.filter((result) => result.outcome !== 'compatible')).toEqual([]);
    expect(report.compatible).toBe(true);
    expect(report.results.length).toBeGreaterThanOrEqual(20);
    expect(outcome(report, 'WS energy/get_prefs')?.detail).toContain(`${energyPrefsShape} grid shape (1 grid source)`);
    expect(outcome(report, 'GET /api/config/automation/config/<id>')?.detail).toMatch(/automation configs read \(1 blueprint-based\)/);
    expect(outcome(report, 'GET /api/config/script/config/<object_id>')?.detail).toMatch(/script configs read \(1 blueprint-based/);
    expect(mutations).toBe(0);
    expect(formatContractReport(report)).toMatch(/\n\d+ compatible, 0 incompatible, 0 skipped: Aether can work with this Home Assistant\.$/);
  }, 60_000);

  it("skips the admin-only calls for a non-admin token, and the error log on a supervised install, and is still compatible", async () => {
    const { report: nonAdmin } = await contractAgainst({ admin: false });
    expect(nonAdmin.compatible).toBe(true);
    expect(outcome(nonAdmin, 'WS auth/current_user')).toMatchObject({ outcome: 'compatible', detail: expect.stringContaining('not an administrator') });
    const skipped = nonAdmin.results.filter((result) => result.outcome === 'skipped');
    expect(skipped.map((result) => result.call)).toEqual([
      'GET /api/config/config_entries/entry',
      'GET /api/config/automation/config/<id>',
      'GET /api/config/script/config/<object_id>',
      'GET /api/config/scene/config/<id>',
      'POST /api/config/core/check_config',
      'POST /api/template',
      'GET /api/error_log',
    ]);
    expect(outcome(nonAdmin, 'GET /api/states')?.outcome).toBe('compatible');

    const { report: supervised } = await contractAgainst({ installationType: 'supervised' });
    expect(supervised.compatible).toBe(true);
    expect(outcome(supervised, 'GET /api/error_log')).toEqual({ call: 'GET /api/error_log', outcome: 'skipped', detail: expect.stringContaining('installation type') });
    expect(supervised.results.filter((result) => result.outcome === 'skipped')).toHaveLength(1);
  }, 60_000);
});
