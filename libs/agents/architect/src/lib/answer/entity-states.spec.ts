import { EntityStates } from './entity-states';

const states = () => {
  const known = new EntityStates();
  known.add(
    [
      '3 entities matching "door" (states from the catalog snapshot; use get_entity_state for a current state):',
      'lock.front_door — Front Door Lock: unlocked (Hallway)',
      'lock.back_door — Back Door Lock: unlocked (Garden)',
      'cover.garage_door — Garage Door: open (Garage)',
      'light.kitchen — Kitchen Light: on (Kitchen)',
    ].join('\n'),
  );
  // A live read after the snapshot: the later state counts.
  known.add('lock.front_door — Front Door Lock: locked (Hallway) (live from Home Assistant)\nlast changed: 2026-12-04T07:00:00Z');
  return known;
};

describe('EntityStates', () => {
  it.each([
    ['The Front Door Lock is unlocked.', ['Front Door Lock: "unlocked" (Home Assistant: locked)']],
    ['lock.back_door is locked.', ['Back Door Lock: "locked" (Home Assistant: unlocked)']],
    ['The garage door is closed.', ['Garage Door: "closed" (Home Assistant: open)']],
    ['The Kitchen Light is currently off.', ['Kitchen Light: "off" (Home Assistant: on)']],
    ['light.kitchen is off, and the rest are on.', ['Kitchen Light: "off" (Home Assistant: on)']],
  ])('flags "%s"', (sentence, expected) => {
    expect(states().contradictions(sentence)).toEqual(expected);
  });

  it.each([
    'The Front Door Lock is locked.',
    // One of each in one sentence: both states are said, neither is contradicted.
    'The Front Door Lock is locked and the Back Door Lock is unlocked.',
    // Advice, not a claim: "lock" and "open" are verbs here.
    'You may want to lock the Back Door Lock and open the Garage Door app.',
    // On/off only in the "<name> is on/off" form: "off" is as often advice.
    'You could turn off the Kitchen Light.',
    'The Kitchen Light is on.',
    'Turn the Kitchen Light off at night; it is on a timer.',
    // No entity named.
    'The door is unlocked.',
    // Names the word inside another one ("unlocked" is not "locked").
    'The Back Door Lock is unlocked.',
  ])('leaves "%s" alone', (sentence) => {
    expect(states().contradictions(sentence)).toEqual([]);
  });
});
