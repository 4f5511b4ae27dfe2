import type OpenAI from 'openai';
import type { Proposal } from '@aether/core';
import { startFakeOpenAiServer, type FakeOpenAiServer, type RecordedRequest, type ScriptedReply } from '@aether/llm/testing';
import { freePort, HA_DEMO_TOKEN, startApp, type StartedApp } from '../../../tools/start-distributed/stack.mjs';
import { API_KEY, embeddedDefaultsEnv, openaiClient } from './support/gateway-client';
import { startDemoHomeApp } from './support/demo-home';

type AetherCompletion = OpenAI.Chat.Completions.ChatCompletion & { conversation_id: string };

/** The demo home's "Close blinds at sunset" automation (config id and entity). */
const BLINDS_ID = '1716212187456';
const BLINDS_ENTITY = 'automation.close_blinds_at_sunset';

/**
 * A language model improving an automation the home already has, through the tools a real model
 * gets: it reads the automation (`get_automation_config`), proposes the changed config under the
 * same id (`propose_config`), and the person sees what changes before approving. The model is
 * a scripted OpenAI-compatible server on loopback (validating requests as strict servers do).
 */
describe('proposals with a language model: improving an existing automation (monolith, demo home as its own process)', () => {
  let home: StartedApp;
  let gateway: StartedApp;
  let llm: FakeOpenAiServer;
  let original: Record<string, unknown>;
  let improved: Record<string, unknown>;

  const haConfig = async (): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(`${home.url}/api/config/automation/config/${BLINDS_ID}`, { headers: { Authorization: `Bearer ${HA_DEMO_TOKEN}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const ask = async (content: string, conversationId?: string) =>
    (await openaiClient(gateway.url).chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content }],
      ...(conversationId ? ({ conversation_id: conversationId } as object) : {}),
    })) as AetherCompletion;

  /** The model's side: route to the Architect, read the automation, propose it 15 minutes earlier, then a closing line. */
  const reply = (request: RecordedRequest): ScriptedReply => {
    const tools = (request.body.tools ?? []).map((t) => t.function.name);
    if (tools.includes('route_to_agent')) return { toolCalls: [{ name: 'route_to_agent', args: { agent: 'architect', confidence: 0.9, reason: 'change an automation' } }] };
    const called = request.body.messages.flatMap((m) => (m.tool_calls ?? []) as Array<{ function: { name: string } }>).map((call) => call.function.name);
    const asked = request.body.messages.filter((m) => m.role === 'user').map((m) => String(m.content)).join(' ');
    if (/guest mode/i.test(asked)) {
      if (!called.includes('propose_helper')) {
        return { toolCalls: [{ name: 'propose_helper', args: { title: 'Rename Guest mode to Visitors', domain: 'input_boolean', id: 'guest_mode', config: { name: 'Visitors', icon: 'mdi:account-multiple' } } }] };
      }
      return { text: 'I proposed renaming the toggle.' };
    }
    if (!called.includes('get_automation_config')) return { toolCalls: [{ name: 'get_automation_config', args: { automation: BLINDS_ENTITY } }] };
    if (!called.includes('propose_config')) {
      return { toolCalls: [{ name: 'propose_config', args: { kind: 'automation', title: 'Close blinds 15 minutes before sunset', description: 'Closes the blinds a little earlier, before it gets dark.', config: improved } }] };
    }
    return { text: 'I proposed closing the blinds 15 minutes before sunset.' };
  };

  beforeAll(async () => {
    llm = await startFakeOpenAiServer((request) => reply(request), { validate: true });
    home = await startDemoHomeApp();
    original = (await haConfig()).body;
    improved = { ...original, triggers: [{ trigger: 'sun', event: 'sunset', offset: '-00:15:00' }] };
    gateway = await startApp('gateway', {
      port: await freePort(),
      env: { ...embeddedDefaultsEnv(), DEPLOYMENT_MODE: 'monolith', HA_URL: home.url, HA_TOKEN: HA_DEMO_TOKEN, LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: 'fake-key', LLM_MODEL: 'fake-model' },
      healthPath: '/api/v1/ready',
      timeoutMs: 90_000,
    });
  }, 180_000);
  afterAll(async () => {
    await gateway?.stop();
    await home?.stop();
    await llm?.close();
  });

  it('proposes the changed automation under its id, shows the difference, deploys it on "approve" and "roll back" restores the original', async () => {
    const proposed = await ask('Can you make my close-blinds-at-sunset automation close them 15 minutes before sunset?');
    const answer = proposed.choices[0].message.content ?? '';
    // The summary the person approves from: the change against what HA has, then the whole config.
    expect(answer).toContain(`It changes the automation \`${BLINDS_ID}\` Home Assistant has now (- now, + proposed):`);
    const diff = answer.slice(answer.indexOf('```diff'), answer.indexOf('```', answer.indexOf('```diff') + 7));
    expect(diff.split('\n').filter((line) => /^[-+]/.test(line))).toEqual(['-      "offset": "0",', '+      "offset": "-00:15:00",']);
    expect(answer).toContain('Reply *approve* to deploy it');
    expect((await haConfig()).body).toEqual(original);
    const modelCalls = llm.requests.length;

    const listed = await fetch(`${gateway.url}/api/v1/proposals?status=proposed`, { headers: { Authorization: `Bearer ${API_KEY}` } });
    const [proposal] = ((await listed.json()) as { data: Proposal[] }).data.filter((p) => p.conversationId === proposed.conversation_id);
    expect(proposal).toMatchObject({ kind: 'automation', haId: BLINDS_ID, replaces: original });

    const approved = await ask('approve', proposed.conversation_id);
    expect(approved.choices[0].message.content).toMatch(/^Deployed \*\*/);
    expect((await haConfig()).body).toEqual(improved);

    const rolledBack = await ask('roll back', proposed.conversation_id);
    expect(rolledBack.choices[0].message.content).toMatch(/^Rolled back \*\*/);
    expect((await haConfig()).body).toEqual(original);
    // The decisions were the person's own words, read by the gateway: no model was asked.
    expect(llm.requests.length).toBe(modelCalls);
    expect(llm.requests.filter((r) => r.rejected)).toEqual([]);
  });

  it('changes an existing helper through propose_helper: the difference shown, applied over the WebSocket API on "approve", undone on "roll back"', async () => {
    const guestMode = async () => ((await (await fetch(`${home.url}/api/states/input_boolean.guest_mode`, { headers: { Authorization: `Bearer ${HA_DEMO_TOKEN}` } })).json()) as { attributes: Record<string, unknown> }).attributes;
    const proposed = await ask('Rename my guest mode toggle to Visitors');
    const answer = proposed.choices[0].message.content ?? '';
    expect(answer).toContain('It changes the helper `guest_mode` Home Assistant has now (- now, + proposed):');
    expect(answer).toContain('-  "name": "Guest mode"');
    expect(answer).toContain('+  "name": "Visitors"');
    expect((await guestMode())['friendly_name']).toBe('Guest mode');

    expect((await ask('approve', proposed.conversation_id)).choices[0].message.content).toMatch(/^Deployed \*\*Rename Guest mode to Visitors\*\*/);
    expect((await guestMode())['friendly_name']).toBe('Visitors');
    expect((await ask('roll back', proposed.conversation_id)).choices[0].message.content).toMatch(/^Rolled back \*\*/);
    expect((await guestMode())['friendly_name']).toBe('Guest mode');
    expect(llm.requests.filter((r) => r.rejected)).toEqual([]);
  });
});
