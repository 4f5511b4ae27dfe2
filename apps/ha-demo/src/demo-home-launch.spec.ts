import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchDemoHome } from './demo-home-launch';
import { readDemoHomeSettings } from './demo-home-settings';

describe('launchDemoHome', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ha-demo-app-'));
  const settingsFor = (fixture: string) => ({ ...readDemoHomeSettings({ HA_DEMO_FIXTURE: fixture }), port: 0 });

  it('serves the house in HA_DEMO_FIXTURE', async () => {
    const path = join(dir, 'home.json');
    writeFileSync(path, JSON.stringify({ config: { location_name: 'Tiny' }, states: [{ entity_id: 'light.lamp', state: 'on' }] }));
    const launched = await launchDemoHome(settingsFor(path));
    if (launched.kind !== 'running') throw new Error(launched.line);
    try {
      const headers = { Authorization: `Bearer ${launched.home.token}` };
      expect(await (await fetch(`${launched.home.url}/api/config`, { headers })).json()).toMatchObject({ location_name: 'Tiny' });
      expect(await (await fetch(`${launched.home.url}/api/states/light.lamp`, { headers })).json()).toMatchObject({ state: 'on' });
    } finally {
      await launched.home.stop();
    }
  });

  it('refuses a malformed fixture with one line: file, place, problem', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ states: [{ entity_id: 'light.lamp', state: 'on', attributes: 'bright' }] }));
    const launched = await launchDemoHome(settingsFor(path));
    expect(launched).toEqual({ kind: 'refused', line: expect.stringMatching(new RegExp(`^HA_DEMO_FIXTURE refused: fixture ${path}: states\\.0\\.attributes: .+$`)) });
    expect((launched as { line: string }).line).not.toContain('\n');
    expect(await launchDemoHome(settingsFor(join(dir, 'missing.json')))).toEqual({ kind: 'refused', line: `HA_DEMO_FIXTURE refused: fixture ${join(dir, 'missing.json')}: cannot be read (ENOENT)` });
  });
});
