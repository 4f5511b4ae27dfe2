import { loadConfig } from '@aether/config';
import { checkHomeAssistantContract, createHomeAssistantClient, formatContractReport } from '@aether/home-assistant';
import { startDemoHome, type RunningDemoHome } from '@aether/ha-demo';

/** `npm run check:ha` exit codes: every call compatible (skips allowed), some incompatible, or the settings are wrong. */
export const CHECK_HA_EXIT = { compatible: 0, incompatible: 1, usage: 2 } as const;

/**
 * `npm run check:ha`: the Home Assistant contract against HA_URL/HA_TOKEN — read-only, nothing in
 * HA is changed — or, without HA_URL, against the bundled demo home (HA_DEMO_* settings apply, e.g.
 * HA_DEMO_ENERGY_PREFS=legacy). Writes the report through `write`; returns the exit code.
 */
export async function checkHa(env: NodeJS.ProcessEnv, write: (text: string) => void): Promise<number> {
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    write(`check:ha: ${error instanceof Error ? error.message : String(error)}`);
    return CHECK_HA_EXIT.usage;
  }
  const { url, token, timeoutMs, demo } = config.ha;
  if (url && !token) {
    write('check:ha: HA_URL is set but HA_TOKEN is not: create a long-lived access token in your Home Assistant profile and set HA_TOKEN.');
    return CHECK_HA_EXIT.usage;
  }
  let home: RunningDemoHome | undefined;
  let target = { url: url ?? '', token: token ?? '' };
  if (!url) {
    home = await startDemoHome(demo);
    target = { url: home.url, token: home.token };
    write(`HA_URL is not set: checking the bundled demo home (energy prefs: ${demo.energyPrefsShape}, installation: ${demo.installationType}${demo.admin ? '' : ', non-admin token'}).`);
  }
  const client = createHomeAssistantClient({ ...target, timeoutMs });
  try {
    const report = await checkHomeAssistantContract(client);
    write(formatContractReport(report));
    return report.compatible ? CHECK_HA_EXIT.compatible : CHECK_HA_EXIT.incompatible;
  } finally {
    await client.close();
    await home?.stop();
  }
}
