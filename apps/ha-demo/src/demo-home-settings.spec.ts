import { ConfigError } from '@aether/config';
import { DEFAULT_DEMO_TOKEN } from '@aether/ha-demo';
import { DEMO_HOME_DEFAULT_PORT, readDemoHomeSettings } from './demo-home-settings';

describe('readDemoHomeSettings', () => {
  it("defaults to HA's port on loopback with the demo token", () => {
    expect(readDemoHomeSettings({})).toEqual({ host: '127.0.0.1', port: DEMO_HOME_DEFAULT_PORT, token: DEFAULT_DEMO_TOKEN, admin: true, installationType: 'core', energyPrefsShape: 'unified' });
    expect(DEMO_HOME_DEFAULT_PORT).toBe(8123);
  });

  it('takes HOST, PORT and HA_DEMO_TOKEN from the environment', () => {
    expect(readDemoHomeSettings({ HOST: '0.0.0.0', PORT: '18123', HA_DEMO_TOKEN: ' s3cret ' })).toEqual({ host: '0.0.0.0', port: 18123, token: 's3cret', admin: true, installationType: 'core', energyPrefsShape: 'unified' });
  });

  it('takes HA_DEMO_FIXTURE as the path of another house, ignoring a blank one', () => {
    expect(readDemoHomeSettings({ HA_DEMO_FIXTURE: ' /data/home.json ' })).toMatchObject({ fixture: '/data/home.json' });
    expect(readDemoHomeSettings({ HA_DEMO_FIXTURE: '  ' })).not.toHaveProperty('fixture');
  });

  it('refuses an invalid PORT, naming the variable', () => {
    expect(() => readDemoHomeSettings({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => readDemoHomeSettings({ PORT: 'eighty' })).toThrow(/PORT/);
  });
});
