import { parseChangeRequest, sunOffset } from './change-request.parser';

describe('parseChangeRequest (the offline model reading a change request)', () => {
  it.each([
    ['Create an automation that turns on the porch light at sunset', { kind: 'automation', trigger: { kind: 'sun', event: 'sunset', offsetMinutes: 0 }, action: { kind: 'switch', service: 'turn_on', target: 'porch light' } }],
    ['Create an automation that turns off the kitchen light 30 minutes after sunrise', { kind: 'automation', trigger: { kind: 'sun', event: 'sunrise', offsetMinutes: 30 }, action: { kind: 'switch', service: 'turn_off', target: 'kitchen light' } }],
    ['Turn the hall light on 15 minutes before sunset', { kind: 'automation', trigger: { kind: 'sun', event: 'sunset', offsetMinutes: -15 }, action: { kind: 'switch', service: 'turn_on', target: 'hall light' } }],
    ['Turn off the kettle at 7:30 pm', { kind: 'automation', trigger: { kind: 'time', at: '19:30:00' }, action: { kind: 'switch', service: 'turn_off', target: 'kettle' } }],
    ['Set up an automation: when the hallway motion turns on, turn on the hall light', { kind: 'automation', trigger: { kind: 'state', subject: 'hallway motion', to: 'on' }, action: { kind: 'switch', service: 'turn_on', target: 'hall light' } }],
    ['When the front door opens, toggle the porch light', { kind: 'automation', trigger: { kind: 'state', subject: 'front door', to: 'open' }, action: { kind: 'switch', service: 'toggle', target: 'porch light' } }],
    ['When the kitchen temperature drops below 18, set the living room to 21 degrees', { kind: 'automation', trigger: { kind: 'numeric', subject: 'kitchen temperature', below: 18 }, action: { kind: 'temperature', target: 'living room', temperature: 21 } }],
    ['Notify me when the front door opens', { kind: 'automation', trigger: { kind: 'state', subject: 'front door', to: 'open' }, action: { kind: 'notify' } }],
    ['At 22:00 send me a notification saying "lock up"', { kind: 'automation', trigger: { kind: 'time', at: '22:00:00' }, action: { kind: 'notify', message: 'lock up' } }],
    ['Turn off the kitchen light', { kind: 'command', action: { kind: 'switch', service: 'turn_off', target: 'kitchen light' } }],
    ['please switch on the garden lights.', { kind: 'command', action: { kind: 'switch', service: 'turn_on', target: 'garden lights' } }],
    ['Set the bedroom temperature to 19.5°C', { kind: 'command', action: { kind: 'temperature', target: 'bedroom', temperature: 19.5 } }],
    ['Disable the porch light automation', { kind: 'command', action: { kind: 'automation', service: 'turn_off', target: 'porch light' } }],
    ['please turn on the morning blinds automation', { kind: 'command', action: { kind: 'automation', service: 'turn_on', target: 'morning blinds' } }],
    ['Disable the porch light at sunset automation', { kind: 'command', action: { kind: 'automation', service: 'turn_off', target: 'porch light at sunset' } }],
    ['Run the goodnight automation now', { kind: 'command', action: { kind: 'automation', service: 'trigger', target: 'goodnight' } }],
    ['At 23:00 disable the hallway motion automation', { kind: 'automation', trigger: { kind: 'time', at: '23:00:00' }, action: { kind: 'automation', service: 'turn_off', target: 'hallway motion' } }],
    ['Make it 30 minutes after sunset', { kind: 'revise', trigger: { kind: 'sun', event: 'sunset', offsetMinutes: 30 } }],
    ['make it at 21:15 instead', { kind: 'revise', trigger: { kind: 'time', at: '21:15:00' } }],
  ])('%s', (message, expected) => {
    expect(parseChangeRequest(message)).toEqual(expected);
  });

  it.each(['What lights are on?', 'How much energy did I use yesterday?', 'List my automations', 'Create an automation', 'Which lights do I switch on by hand?', 'Do I turn off the heating at night?'])('reads no change in %s', (message) => {
    expect(parseChangeRequest(message)).toBeUndefined();
  });

  it('writes sun offsets as HA does', () => {
    expect([sunOffset(0), sunOffset(30), sunOffset(-90)]).toEqual([undefined, '00:30:00', '-01:30:00']);
  });
});

describe('parseChangeRequest: helpers', () => {
  it.each([
    ['Create a toggle called Guest mode', { domain: 'input_boolean', config: { name: 'Guest mode' } }],
    ['Add a number helper for the target humidity from 30 to 70 %', { domain: 'input_number', config: { name: 'Target humidity', min: 30, max: 70, unit_of_measurement: '%' } }],
    ['Create a dropdown called House mode with options Home, Away, Night', { domain: 'input_select', config: { name: 'House mode', options: ['Home', 'Away', 'Night'] } }],
    ['create a text helper called Note.', { domain: 'input_text', config: { name: 'Note' } }],
    ['Create a date/time helper called Alarm time', { domain: 'input_datetime', config: { name: 'Alarm time', has_date: true, has_time: true } }],
    ['Please add a time helper named Wake up', { domain: 'input_datetime', config: { name: 'Wake up', has_date: false, has_time: true } }],
    ['Make a button called Doorbell test', { domain: 'input_button', config: { name: 'Doorbell test' } }],
  ])('reads "%s" as a helper in the user\'s words', (message, helper) => {
    expect(parseChangeRequest(message)).toEqual({ kind: 'helper', helper });
  });

  it('leaves incomplete helpers and other requests to the other rules', () => {
    // A number without its range, a dropdown without options: not enough to propose.
    expect(parseChangeRequest('Create a number called Target')?.kind).not.toBe('helper');
    expect(parseChangeRequest('Create a dropdown called Mode')?.kind).not.toBe('helper');
    expect(parseChangeRequest('Create an automation that turns on the porch light at sunset')?.kind).toBe('automation');
    expect(parseChangeRequest('Turn off the kitchen light')?.kind).toBe('command');
  });
});

describe('parseChangeRequest: automating a suggestion', () => {
  it.each([
    ['automate it', {}],
    ['Yes, automate that please', {}],
    ['Automate the porch light', { named: 'porch light' }],
    ['please automate my porch light habit', { named: 'porch light' }],
  ])('reads "%s" as automating what the team suggested', (message, named) => {
    expect(parseChangeRequest(message)).toEqual({ kind: 'automate_suggestion', ...named });
  });

  it('a request with a trigger is a new automation, not a suggestion', () => {
    expect(parseChangeRequest('automate the porch light at sunset')?.kind).not.toBe('automate_suggestion');
    expect(parseChangeRequest('What could I automate?')).toBeUndefined();
  });
});
