import { type StartedApp } from '../../../tools/start-distributed/stack.mjs';
import { haGet, startDemoHomeApp, startMonolithGateway } from './support/demo-home';
import { openaiClient } from './support/gateway-client';

interface HaState {
  entity_id: string;
  state: string;
  attributes: { friendly_name?: string };
}

/**
 * Acceptance: with a token whose HA user is not an administrator, Aether starts, answers state
 * questions, and says in health and in the answers that need the rights that HA's config APIs are
 * unavailable to it.
 */
describe('a Home Assistant token without admin rights (monolith gateway, standalone demo home)', () => {
  let home: StartedApp;
  let gateway: StartedApp;

  beforeAll(async () => {
    home = await startDemoHomeApp({ HA_DEMO_ADMIN: 'false' });
    gateway = await startMonolithGateway(home);
  });
  afterAll(async () => {
    await gateway?.stop();
    await home?.stop();
  });

  it('starts, reports the missing rights in health, and still answers "What lights are on?"', async () => {
    // The rights are read from HA at start, without holding the start up: poll health until known.
    let access: { admin: boolean | null; limitations: string[] } | undefined;
    for (let attempt = 0; attempt < 100 && (access?.admin ?? null) === null; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      access = (await (await fetch(`${gateway.url}/api/v1/health`)).json()).homeAssistantAccess;
    }
    expect(access).toEqual({ admin: false, limitations: ["config APIs unavailable: the HA token's user is not an administrator"] });

    const completion = await openaiClient(gateway.url).chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: 'What lights are on?' }] });
    const answer = completion.choices[0].message.content ?? '';
    const on = (await haGet<HaState[]>(home, '/api/states')).filter((s) => s.entity_id.startsWith('light.') && s.state === 'on');
    expect(answer.length).toBeGreaterThan(0);
    for (const light of on) expect(answer.includes(light.entity_id) || answer.includes(light.attributes.friendly_name ?? light.entity_id)).toBe(true);
  });

  it('says in the answers that need admin rights why they cannot be done, and changes nothing in HA', async () => {
    const ask = async (question: string) =>
      (await openaiClient(gateway.url).chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: question }] })).choices[0].message.content ?? '';
    const notAdmin = "the HA token's user is not one";
    const mutationsBefore = (await haGet<unknown[]>(home, '/api/__demo/mutations')).length;

    const automation = await ask('Create an automation that turns on the porch light at sunset');
    expect(automation).toContain('Home Assistant changes automations only for an administrator');
    expect(automation).toContain(notAdmin);
    const dashboard = await ask('Design a dashboard for my energy');
    expect(dashboard).toMatch(/^I designed the \*\*Energy\*\* dashboard/);
    expect(dashboard).toContain('I could not save it as a proposal.');
    expect(dashboard).toContain('Home Assistant changes dashboards only for an administrator');
    // Diagnostics still run on what a non-admin token may read, and say what is missing.
    const diagnosis = await ask('Why is my garage sensor unavailable?');
    expect(diagnosis).toContain("Error log: not available (the HA token's user is not an administrator)");
    expect(diagnosis).toMatch(/Garage Sensor drops out every night/);

    expect((await haGet<unknown[]>(home, '/api/__demo/mutations')).length).toBe(mutationsBefore);
  });
});
