import type { HaHistoryState } from '@aether/home-assistant';
import { DAY_MS } from '../time/slot-time';
import { sharedDemoHouse } from './demo-house';
import { PORCH_LIGHT_USUAL_MINUTE } from './household-habits';
import { HOUSEHOLD_USER_IDS } from './household-users';

/** A Sunday afternoon in late November (Europe/Dublin = UTC, so local minutes are UTC minutes). */
const NOW = Date.UTC(2026, 10, 29, 15, 7, 13, 250);
const house = sharedDemoHouse();
/** The days the recorder keeps (HA's default `purge_keep_days`): what an analyst can find them in. */
const DAYS = house.historyDays;
const firstMidnight = Math.floor(NOW / DAY_MS) * DAY_MS - DAYS * DAY_MS + DAY_MS;
const evenings = Array.from({ length: DAYS - 1 }, (_, i) => firstMidnight + i * DAY_MS);

function history(entityId: string, startMs: number, endMs: number): HaHistoryState[] {
  const [series] = house.history(
    { startMs, endMs, entityIds: [entityId], includeStartTimeState: true, significantChangesOnly: true, minimalResponse: true, noAttributes: true },
    NOW,
  );
  return series ?? [];
}
const minuteOfDay = (iso: string | number) => Math.floor((Date.parse(String(iso)) % DAY_MS) / 60_000);

describe('household habits (patterns worth finding)', () => {
  it('the porch light is switched on by hand at about the same time on most evenings', () => {
    const logbook = house.logbook({ startMs: NOW - DAYS * DAY_MS, endMs: NOW, entityIds: ['light.porch'] }, NOW);
    const users = new Set(Object.values(HOUSEHOLD_USER_IDS));
    let matching = 0;
    for (const midnight of evenings) {
      const on = logbook.find((e) => e.state === 'on' && Date.parse(String(e.when)) >= midnight && Date.parse(String(e.when)) < midnight + DAY_MS);
      if (!on) continue;
      expect(users).toContain(on.context_user_id);
      expect(on).toMatchObject({ name: 'Porch Light', context_event_type: 'call_service', context_domain: 'light', context_service: 'turn_on' });
      if (Math.abs(minuteOfDay(on.when) - PORCH_LIGHT_USUAL_MINUTE) <= 20) matching++;
    }
    expect(matching / evenings.length).toBeGreaterThanOrEqual(0.7);
    // …and history agrees: at 19:30 it is on on those evenings.
    const onAt1930 = evenings.filter((midnight) => history('light.porch', midnight + 19.5 * 3_600_000, midnight + 19.5 * 3_600_000 + 1000)[0]?.state === 'on');
    expect(onAt1930.length / evenings.length).toBeGreaterThanOrEqual(0.7);
  });

  it('the office heater is sometimes left on overnight, but not most nights', () => {
    const nightsOn = evenings.filter((midnight) => history('switch.office_heater', midnight + 3 * 3_600_000, midnight + 3 * 3_600_000 + 1000)[0]?.state === 'on');
    expect(nightsOn.length).toBeGreaterThanOrEqual(2);
    expect(nightsOn.length).toBeLessThanOrEqual(evenings.length / 2);
    // A heater left on is switched off by hand the next morning.
    const night = nightsOn[0];
    const morning = house.logbook({ startMs: night, endMs: night + 12 * 3_600_000, entityIds: ['switch.office_heater'] }, NOW);
    const off = morning.find((e) => e.state === 'off');
    expect(off?.context_user_id).toBe(HOUSEHOLD_USER_IDS.alex);
    expect(minuteOfDay(String(off?.when))).toBeGreaterThan(5 * 60);
  });

  it('the garage sensor drops to unavailable every night and comes back', () => {
    const rows = history('sensor.garage_temperature', NOW - DAYS * DAY_MS, NOW);
    for (const midnight of evenings) {
      const today = rows.filter((r) => Date.parse(r.last_changed) >= midnight && Date.parse(r.last_changed) < midnight + DAY_MS);
      const drop = today.findIndex((r) => r.state === 'unavailable');
      expect(drop).toBeGreaterThanOrEqual(0);
      expect(Number(today[drop + 1]?.state)).not.toBeNaN();
      expect(minuteOfDay(today[drop].last_changed)).toBeLessThan(5 * 60);
    }
    // It is reported in the error log of the current run, too.
    expect(house.errorLog(NOW)).toMatch(/WARNING \(MainThread\) \[homeassistant\.components\.zha\.core\.device\] \[0x9A3C\]\(lumi\.weather\): Device seems unavailable/);
  });

  it('residents come and go: the front door opens when someone leaves or arrives', () => {
    const logbook = house.logbook({ startMs: NOW - 7 * DAY_MS, endMs: NOW, entityIds: ['person.sam', 'binary_sensor.front_door'] }, NOW);
    const departures = logbook.filter((e) => e.entity_id === 'person.sam' && e.state === 'not_home');
    expect(departures.length).toBeGreaterThanOrEqual(3);
    for (const departure of departures) {
      const at = Date.parse(String(departure.when));
      expect(logbook.some((e) => e.entity_id === 'binary_sensor.front_door' && e.state === 'on' && Math.abs(Date.parse(String(e.when)) - at) < 5 * 60_000)).toBe(true);
    }
  });
});
