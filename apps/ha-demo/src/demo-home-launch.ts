import { FixtureError, startDemoHome, type RunningDemoHome } from '@aether/ha-demo';
import type { DemoHomeSettings } from './demo-home-settings';

export type LaunchOutcome = { kind: 'running'; home: RunningDemoHome } | { kind: 'refused'; line: string };

/**
 * Starts the demo home from the app's settings. A fixture that cannot be used is not a crash but a
 * refusal with one line naming the file, the place in it and the problem (main exits 1 with it).
 */
export async function launchDemoHome(settings: DemoHomeSettings): Promise<LaunchOutcome> {
  try {
    return { kind: 'running', home: await startDemoHome(settings) };
  } catch (error) {
    if (error instanceof FixtureError) return { kind: 'refused', line: `HA_DEMO_FIXTURE refused: ${error.message}` };
    throw error;
  }
}
