import { sharedDemoHouse } from '../model/demo-house';
import { DAY_MS } from '../time/slot-time';

const NOW = Date.UTC(2026, 10, 29, 15, 7, 13, 250);
const house = sharedDemoHouse();

describe('logbook (HA logbook semantics)', () => {
  const start = NOW - 2 * DAY_MS;
  const end = NOW - DAY_MS;
  const entries = house.logbook({ startMs: start, endMs: end }, NOW);

  it('lists state changes in the window, oldest first, with when/name/entity_id/state and no message or domain (as HA)', () => {
    expect(entries.length).toBeGreaterThan(100);
    const times = entries.map((e) => Date.parse(String(e.when)));
    for (let i = 0; i < times.length; i++) {
      expect(times[i]).toBeGreaterThanOrEqual(start);
      expect(times[i]).toBeLessThan(end);
      if (i > 0) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
    }
    for (const entry of entries) {
      expect(String(entry.when)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/);
      expect(entry.name).toBeTruthy();
      if (entry.state !== undefined) expect(entry).not.toHaveProperty('message');
      if (entry.state !== undefined) expect(entry).not.toHaveProperty('domain');
      expect(entry.entity_id).toMatch(/^[a-z_]+\.[a-z0-9_]+$/);
      expect(entry.context_id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    }
  });

  it('leaves out continuous sensors (unit or state class), as HA does', () => {
    const sensors = entries.filter((e) => e.entity_id?.startsWith('sensor.'));
    expect(sensors).toEqual([]);
    expect(entries.some((e) => e.entity_id === 'binary_sensor.hallway_motion')).toBe(true);
  });

  it('entries match history: each change is a state the entity really took at that time', () => {
    for (const entry of entries.filter((e) => e.entity_id === 'lock.front_door' || e.entity_id === 'cover.living_room_blinds')) {
      const at = Date.parse(String(entry.when));
      expect(house.state(String(entry.entity_id), at)?.state).toBe(entry.state);
      expect(house.state(String(entry.entity_id), at - 1)?.state).not.toBe(entry.state);
    }
    expect(entries.find((e) => e.entity_id === 'binary_sensor.hallway_motion' && e.state === 'on')).toBeDefined();
    expect(entries.find((e) => e.entity_id === 'lock.front_door' && e.state === 'locked')).toBeDefined();
  });

  it('an automation run is logged as triggered, just before the changes it made, which carry its context', () => {
    const runs = entries.filter((e) => e.entity_id === 'automation.close_blinds_at_sunset');
    expect(runs.length).toBe(1);
    expect(runs[0]).toMatchObject({ name: 'Close blinds at sunset', domain: 'automation', message: expect.stringMatching(/^triggered by /) });
    const closed = entries.find((e) => e.entity_id === 'cover.living_room_blinds' && e.state === 'closed');
    expect(closed).toMatchObject({
      context_event_type: 'automation_triggered',
      context_domain: 'automation',
      context_name: 'Close blinds at sunset',
      context_entity_id: 'automation.close_blinds_at_sunset',
      context_id: runs[0].context_id,
    });
    expect(closed?.context_user_id).toBeUndefined();
    expect(entries.indexOf(runs[0])).toBeLessThan(entries.indexOf(closed as (typeof entries)[number]));
    // The automation entity's last_triggered is that run (it is the latest by the end of the window).
    expect(Date.parse(String(house.state('automation.close_blinds_at_sunset', end)?.attributes['last_triggered']))).toBe(Date.parse(String(runs[0].when)));
  });

  it('filters by entity and clips to what the recorder kept and to now', () => {
    const porch = house.logbook({ startMs: start, endMs: end, entityIds: ['light.porch', 'automation.close_blinds_at_sunset'] }, NOW);
    expect(new Set(porch.map((e) => e.entity_id))).toEqual(new Set(['light.porch', 'automation.close_blinds_at_sunset']));
    const old = house.logbook({ startMs: NOW - 60 * DAY_MS, endMs: NOW - 31 * DAY_MS }, NOW);
    expect(old).toEqual([]);
    const future = house.logbook({ startMs: NOW - 3_600_000, endMs: NOW + DAY_MS }, NOW);
    for (const entry of future) expect(Date.parse(String(entry.when))).toBeLessThanOrEqual(NOW);
  });

  it('answers every kept day (purge_keep_days) for every entity well within a second once warm', () => {
    house.logbook({ startMs: NOW - 30 * DAY_MS, endMs: NOW }, NOW);
    const started = performance.now();
    const kept = house.logbook({ startMs: NOW - 30 * DAY_MS, endMs: NOW }, NOW);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(kept.length).toBeGreaterThan((house.historyDays - 3) * entries.length);
    expect(Math.min(...kept.map((entry) => Date.parse(String(entry.when))))).toBeGreaterThanOrEqual(NOW - house.historyDays * DAY_MS);
  });
});
