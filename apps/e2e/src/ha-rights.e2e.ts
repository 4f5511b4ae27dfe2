import { startDistributedStack, type DistributedStack, type StartedApp } from '../../../tools/start-distributed/stack.mjs';
import { haGet, startDemoHomeApp, startMonolithGateway } from './support/demo-home';
import { embeddedDefaultsEnv, openaiClient } from './support/gateway-client';

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
    expect(await knownAccess(gateway.url)).toEqual({ admin: false, limitations: ["config APIs unavailable: the HA token's user is not an administrator"] });

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

/** Polls the gateway's health until the HA token's rights are known (read by the agents at start, probed in the background). */
async function knownAccess(gatewayUrl: string): Promise<{ admin: boolean | null; limitations: string[] } | undefined> {
  let access: { admin: boolean | null; limitations: string[] } | undefined;
  for (let attempt = 0; attempt < 200 && (access?.admin ?? null) === null; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    access = (await (await fetch(`${gatewayUrl}/api/v1/health`)).json()).homeAssistantAccess;
  }
  return access;
}

describe('a Home Assistant token without admin rights (distributed: the gateway talks to no HA itself)', () => {
  let stack: DistributedStack | undefined;

  beforeAll(async () => {
    // The demo home of the stack gets HA_DEMO_ADMIN too; probes every 250 ms so health learns the rights soon.
    stack = await startDistributedStack({ randomPorts: true, env: { ...embeddedDefaultsEnv(), HA_DEMO_ADMIN: 'false', AETHER_HEALTH_INTERVAL_MS: '250', AETHER_HEALTH_TIMEOUT_MS: '200' }, log: () => undefined, timeoutMs: 120_000 });
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it("reports the missing rights in the gateway's health, as the agents that talk to HA learnt them, and says why in an answer that needs them", async () => {
    const s = stack as DistributedStack;
    expect(await knownAccess(s.gateway.url)).toEqual({ admin: false, limitations: ["config APIs unavailable: the HA token's user is not an administrator"] });
    const answer = (await openaiClient(s.gateway.url).chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: 'Create an automation that turns on the porch light at sunset' }] })).choices[0].message.content ?? '';
    expect(answer).toContain('Home Assistant changes automations only for an administrator');
    expect(await haGet<unknown[]>({ url: s.ha.url } as StartedApp, '/api/__demo/mutations')).toEqual([]);
  }, 60_000);
});
