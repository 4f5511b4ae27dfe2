import { type StartedApp } from '../../../tools/start-distributed/stack.mjs';
import { haCall, haGet, startDemoHomeApp, startMonolithGateway } from './support/demo-home';
import { openaiClient } from './support/gateway-client';

interface HaState {
  entity_id: string;
  state: string;
  attributes: { friendly_name?: string };
}

function mentions(answer: string, light: HaState): boolean {
  return answer.includes(light.entity_id) || (!!light.attributes.friendly_name && answer.includes(light.attributes.friendly_name));
}

describe('"what lights are on?" answers from the live state of Home Assistant (monolith gateway, standalone demo home)', () => {
  let home: StartedApp;
  let gateway: StartedApp;

  beforeAll(async () => {
    home = await startDemoHomeApp();
    gateway = await startMonolithGateway(home);
  });
  afterAll(async () => {
    await gateway?.stop();
    await home?.stop();
  });

  async function ask(): Promise<string> {
    const completion = await openaiClient(gateway.url).chat.completions.create({
      model: 'aether-offline',
      messages: [{ role: 'user', content: 'What lights are on?' }],
    });
    return completion.choices[0].message.content ?? '';
  }

  it('lists a light the moment it is switched on and drops it once it is off again, and changes nothing itself', async () => {
    const lights = (await haGet<HaState[]>(home, '/api/states')).filter((s) => s.entity_id.startsWith('light.'));
    expect(lights.length).toBeGreaterThan(0);
    const target = lights.find((l) => l.state === 'off') ?? lights[0];

    await haCall(home, 'light.turn_on', target.entity_id);
    const mutationsBefore = (await haGet<unknown[]>(home, '/api/__demo/mutations')).length;
    const whenOn = await ask();
    expect(mentions(whenOn, target)).toBe(true);
    // Every light HA reports on is named in the answer.
    const onNow = (await haGet<HaState[]>(home, '/api/states')).filter((s) => s.entity_id.startsWith('light.') && s.state === 'on');
    for (const light of onNow) expect(mentions(whenOn, light)).toBe(true);

    await haCall(home, 'light.turn_off', target.entity_id);
    const whenOff = await ask();
    expect(mentions(whenOff, target)).toBe(false);

    // Asking is read-only: the only mutations are the test's own turn_off.
    expect((await haGet<unknown[]>(home, '/api/__demo/mutations')).length).toBe(mutationsBefore + 1);
  });
});
