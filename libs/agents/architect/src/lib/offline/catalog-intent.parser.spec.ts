import { parseCatalogIntent } from './catalog-intent.parser';

describe('parseCatalogIntent', () => {
  it.each([
    ['What lights are on?', { kind: 'entities_in_state', domain: 'light', noun: 'lights', stateFilter: 'on', stateWord: 'on' }],
    ['Which lights are on in the living room?', { kind: 'entities_in_state', domain: 'light', noun: 'lights', stateFilter: 'on', stateWord: 'on', area: 'Living Room' }],
    ['Are any lights still on?', { kind: 'entities_in_state', domain: 'light', noun: 'lights', stateFilter: 'on', stateWord: 'on' }],
    ['Are the blinds open?', { kind: 'entities_in_state', domain: 'cover', noun: 'blinds', stateFilter: 'open', stateWord: 'open' }],
    ['how many switches are off', { kind: 'entities_in_state', domain: 'switch', noun: 'switches', stateFilter: 'off', stateWord: 'off' }],
    ['Which windows are open?', { kind: 'entities_in_state', domain: 'binary_sensor', noun: 'windows', stateFilter: 'on', stateWord: 'open', nameFilter: 'window' }],
    ['Are any doors unlocked?', { kind: 'entities_in_state', domain: 'lock', noun: 'doors', stateFilter: 'unlocked', stateWord: 'unlocked' }],
    ['Is anyone away? Which people are away', { kind: 'entities_in_state', domain: 'person', noun: 'people', stateFilter: 'not_home', stateWord: 'away' }],
  ])('%s', (question, intent) => {
    expect(parseCatalogIntent(question)).toEqual(intent);
  });

  it.each([
    ['Is the front door locked?', { kind: 'entity_state', search: 'front door', domainHint: 'lock' }],
    ['is the kitchen light on', { kind: 'entity_state', search: 'kitchen light' }],
    ["What's the temperature in the bedroom?", { kind: 'entity_state', search: 'bedroom temperature', measurement: 'temperature', domainHint: 'sensor' }],
    ['What is the humidity in the bathroom', { kind: 'entity_state', search: 'bathroom humidity', measurement: 'humidity', domainHint: 'sensor' }],
    ['what’s the living room temperature?', { kind: 'entity_state', search: 'living room temperature', measurement: 'temperature', domainHint: 'sensor' }],
    ['How warm is it in the office?', { kind: 'entity_state', search: 'office temperature', measurement: 'temperature', domainHint: 'sensor' }],
    ['What is the state of the garage door?', { kind: 'entity_state', search: 'garage door' }],
  ])('%s', (question, intent) => {
    expect(parseCatalogIntent(question)).toEqual(intent);
  });

  it('reads automation and domain questions', () => {
    expect(parseCatalogIntent('List my automations')).toEqual({ kind: 'automations' });
    expect(parseCatalogIntent('What automations do I have?')).toEqual({ kind: 'automations' });
    expect(parseCatalogIntent('Show the config of automation "Morning lights"')).toEqual({ kind: 'automation_config', automation: 'Morning lights' });
    expect(parseCatalogIntent('show me the configuration of automation.night_lock')).toEqual({ kind: 'automation_config', automation: 'automation.night_lock' });
    expect(parseCatalogIntent('What are the triggers of the Morning lights automation?')).toEqual({ kind: 'automation_config', automation: 'Morning lights' });
    expect(parseCatalogIntent('How many sensors do I have?')).toEqual({ kind: 'domain_summary', domain: 'sensor', noun: 'sensors' });
  });

  it('leaves other questions alone', () => {
    for (const question of ['Hello!', 'Analyze my energy usage', 'What can you do?', 'Tell me a joke']) expect(parseCatalogIntent(question)).toBeUndefined();
  });
});
