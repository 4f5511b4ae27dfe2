import type { HaLogbookEntry } from '@aether/home-assistant';
import { LocalClock } from '../energy/local-clock';
import { actorOf, computeBehaviorFigures } from './behavior-patterns';
import { deriveBehavioralFindings } from './behavioral-findings';

const clock = new LocalClock('Europe/Dublin');
// Monday 2026-11-02 00:00 (Irish winter time is UTC) to Monday 2026-11-16 00:00: 14 days, 10 of them weekdays.
const start = new Date('2026-11-02T00:00:00Z');
const end = new Date('2026-11-16T00:00:00Z');
const day = (n: number, time: string) => `2026-11-${String(2 + n).padStart(2, '0')}T${time}:00+00:00`;
const byPerson = { context_user_id: 'u-alex', context_event_type: 'call_service', context_domain: 'light', context_service: 'turn_on' };
const byAutomation = { context_event_type: 'automation_triggered', context_domain: 'automation', context_name: 'Motion light' };

describe('behavior patterns', () => {
  it('counts days only from where a purged logbook starts, and says where that is', () => {
    // HA kept the last 7 days only: the kettle habit is there on each of them.
    const entries: HaLogbookEntry[] = [{ when: day(7, '00:05'), entity_id: 'sensor.outdoor_temperature', name: 'Outdoor', state: '4.2' }];
    for (let n = 7; n < 14; n += 1) entries.push({ when: day(n, '07:30'), entity_id: 'switch.kettle', name: 'Kettle', state: 'on', ...byPerson });
    const purged = computeBehaviorFigures({ entries, start, end, hours: 336, clock });
    expect(purged.window.coveredFrom).toBe(new Date(day(7, '00:05')).toISOString());
    expect(purged.habits[0]).toMatchObject({ entityId: 'switch.kettle', all: { days: 7, of: 7 } });

    // A logbook whose first row comes within the window's first hour holds the whole window.
    const whole = computeBehaviorFigures({ entries: [{ when: day(0, '00:30'), entity_id: 'sensor.outdoor_temperature', state: '3.9' }, ...entries], start, end, hours: 336, clock });
    expect(whole.window.coveredFrom).toBeUndefined();
    expect(whole.habits[0]).toMatchObject({ all: { days: 7, of: 14 } });
  });

  it("tells who made a change from HA's context fields", () => {
    expect(actorOf({ when: 0, entity_id: 'light.a', state: 'on', ...byPerson })).toBe('person');
    expect(actorOf({ when: 0, entity_id: 'light.a', state: 'on', ...byAutomation })).toBe('automation');
    expect(actorOf({ when: 0, entity_id: 'light.a', state: 'on', context_domain: 'script', context_event_type: 'call_service' })).toBe('automation');
    expect(actorOf({ when: 0, entity_id: 'light.a', state: 'on', context_event_type: 'call_service', context_domain: 'homekit' })).toBe('integration');
    expect(actorOf({ when: 0, entity_id: 'light.a', state: 'on' })).toBe('device');
  });

  it('finds an action done by hand at about the same time on weekdays, with its frequency and an automation for weekdays', () => {
    // Switched on by hand on each weekday within 20 min of 07:30 (rows as real HA sends them: no message or domain).
    const entries: HaLogbookEntry[] = [];
    for (let n = 0; n < 14; n += 1) {
      const weekday = n % 7 < 5;
      if (weekday && n !== 3) entries.push({ when: day(n, ['07:20', '07:30', '07:40'][n % 3]), entity_id: 'switch.kettle', name: 'Kettle', state: 'on', ...byPerson });
      // Once at another time: not part of the habit.
      if (n === 3) entries.push({ when: day(n, '13:00'), entity_id: 'switch.kettle', name: 'Kettle', state: 'on', ...byPerson });
      if (weekday && n !== 3) entries.push({ when: day(n, '08:00'), entity_id: 'switch.kettle', name: 'Kettle', state: 'off', ...byAutomation });
    }
    const figures = computeBehaviorFigures({ entries, start, end, hours: 336, clock });
    const habit = figures.habits.find((h) => h.state === 'on');
    expect(habit).toMatchObject({ entityId: 'switch.kettle', usualTime: '07:30', earliest: '07:20', latest: '07:40', routine: 'weekdays', weekdays: { days: 9, of: 10 }, weekends: { days: 0, of: 4 } });
    expect(habit!.frequency).toBeCloseTo(0.9);
    // Made by an automation, the switch-off is no habit.
    expect(figures.habits.filter((h) => h.state === 'off')).toEqual([]);
    expect(figures.actors).toEqual({ person: 10, automation: 9, integration: 0, device: 0, total: 19 });
    // On 07:20–08:00, 07:30–08:00, 07:40–08:00 on days 0–2, 13:00 on day 3 until 08:00 on day 4 (switched on
    // again at 07:30 while on: no new cycle), then 30+20+40+30+20 min on days 7–11.
    const onHours = (40 + 30 + 20 + 19 * 60 + 30 + 20 + 40 + 30 + 20) / 60;
    expect(figures.deviceUsage).toEqual([{ entityId: 'switch.kettle', name: 'Kettle', onHours: Math.round(onHours * 100) / 100, cycles: 9, nightsLeftOn: 1 }]);

    const [finding] = deriveBehavioralFindings(figures);
    expect(finding).toEqual({
      specialist: 'behavioral',
      type: 'recommendation',
      title: 'Kettle is switched on by hand around 07:30',
      description: 'On 9 of 10 weekday mornings (90 %), between 07:20 and 07:40. An automation at 07:30 would do it for you.',
      confidence: 0.9,
      entities: ['switch.kettle'],
      evidence: expect.objectContaining({ usualTime: '07:30', days: 9, windowDays: 14, routine: 'weekdays' }),
      automationSuggestion: {
        alias: 'Kettle on at 07:30 on weekdays',
        description: 'Kettle is switched on by hand around 07:30 on most weekday mornings; this does it automatically.',
        triggers: [{ trigger: 'time', at: '07:30:00' }],
        conditions: [{ condition: 'time', weekday: ['mon', 'tue', 'wed', 'thu', 'fri'] }],
        actions: [{ action: 'switch.turn_on', target: { entity_id: 'switch.kettle' } }],
      },
    });
  });

  it('needs three days for a habit, and three times for entities that change together', () => {
    const twice: HaLogbookEntry[] = [0, 1].flatMap((n) => [
      { when: day(n, '19:00'), entity_id: 'light.porch', name: 'Porch', state: 'on', ...byPerson },
      { when: day(n, '19:03'), entity_id: 'light.hall', name: 'Hall', state: 'on' },
    ]);
    const figures = computeBehaviorFigures({ entries: twice, start, end, hours: 336, clock });
    expect(figures.habits).toEqual([]);
    expect(figures.coChanges).toEqual([]);

    const thrice = [...twice, ...computeRows(2)];
    const more = computeBehaviorFigures({ entries: thrice, start, end, hours: 336, clock });
    expect(more.habits.map((h) => [h.entityId, h.usualTime, h.all.days])).toEqual([['light.porch', '19:00', 3]]);
    expect(more.coChanges).toEqual([{ first: { entityId: 'light.hall', name: 'Hall' }, second: { entityId: 'light.porch', name: 'Porch' }, times: 3, share: 1 }]);
  });

  it('reads epoch-second timestamps (the WebSocket logbook) and ignores rows without a state', () => {
    const at = Date.parse(day(0, '12:00')) / 1000;
    const figures = computeBehaviorFigures({
      entries: [{ when: at, entity_id: 'light.porch', state: 'on' }, { when: at, entity_id: 'automation.x', name: 'X', message: 'triggered' }],
      start,
      end,
      hours: 336,
      clock,
    });
    expect(figures.stateChanges).toBe(1);
    expect(figures.actors.device).toBe(1);
  });

  it('measures how often people undo an automation: its runs, its changes, and a person setting the device back within an hour', () => {
    const lightsOut = { context_event_type: 'automation_triggered', context_domain: 'automation', context_entity_id: 'automation.lights_out', context_entity_id_name: 'Lights out at 23:00' };
    const entries: HaLogbookEntry[] = [];
    for (let n = 0; n < 6; n += 1) {
      entries.push({ when: day(n, '23:00'), entity_id: 'automation.lights_out', name: 'Lights out at 23:00', message: 'triggered by time', domain: 'automation' });
      entries.push({ when: day(n, '23:00'), entity_id: 'light.living_room', name: 'Living Room', state: 'off', ...lightsOut });
      // Nights 0–3: someone switches it back on within the hour; night 4: two and a half hours later
      // (not an override); night 5: a person switches it off again (the same state: not an override).
      if (n < 4) entries.push({ when: day(n, '23:10'), entity_id: 'light.living_room', name: 'Living Room', state: 'on', ...byPerson });
      if (n === 4) entries.push({ when: day(n + 1, '01:30'), entity_id: 'light.living_room', name: 'Living Room', state: 'on', ...byPerson });
      if (n === 5) entries.push({ when: day(n, '23:20'), entity_id: 'light.living_room', name: 'Living Room', state: 'off', ...byPerson });
    }
    const figures = computeBehaviorFigures({ entries, start, end, hours: 336, clock });
    expect(figures.automations).toEqual([{ entityId: 'automation.lights_out', name: 'Lights out at 23:00', runs: 6, changes: 6, overrides: 4, entities: ['light.living_room'] }]);

    const concern = deriveBehavioralFindings(figures).find((f) => f.title.startsWith('People undo'));
    expect(concern).toMatchObject({
      type: 'concern',
      title: 'People undo "Lights out at 23:00" 4 of 6 times',
      entities: ['automation.lights_out', 'light.living_room'],
      evidence: { runs: 6, changes: 6, overrides: 4, share: 0.67 },
    });
  });
});

function computeRows(n: number): HaLogbookEntry[] {
  return [
    { when: day(n, '19:00'), entity_id: 'light.porch', name: 'Porch', state: 'on', ...byPerson },
    { when: day(n, '19:03'), entity_id: 'light.hall', name: 'Hall', state: 'on' },
  ];
}
