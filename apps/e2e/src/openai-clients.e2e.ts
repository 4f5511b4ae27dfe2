import { OPEN_WEBUI_FOLLOW_UPS, OPEN_WEBUI_TAGS, OPEN_WEBUI_TITLE } from '@aether/llm/testing';
import type OpenAI from 'openai';
import { freePort, startApp, type StartedApp } from '../../../tools/start-distributed/stack.mjs';
import { API_KEY, embeddedDefaultsEnv, openaiClient } from './support/gateway-client';

const BROWSER_ORIGIN = 'http://localhost:3000';
type AetherCompletion = OpenAI.ChatCompletion & { conversation_id: string };

/** Sum of a Prometheus counter's samples in a scrape. */
async function counterTotal(gatewayUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${gatewayUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/**
 * The built gateway (monolith, offline model, demo home) as Open WebUI, the openai SDK and a
 * browser meet it: background tasks, parameters, conversation identity, CORS, the capability list.
 */
describe('OpenAI clients as they really behave (real monolith process)', () => {
  let gateway: StartedApp;
  let openai: OpenAI;

  beforeAll(async () => {
    gateway = await startApp('gateway', {
      port: await freePort(),
      env: { ...embeddedDefaultsEnv(), DEPLOYMENT_MODE: 'monolith', AETHER_CORS_ORIGINS: BROWSER_ORIGIN },
      healthPath: '/api/v1/health',
    });
    openai = openaiClient(gateway.url);
  });
  afterAll(() => gateway?.stop());

  const conversations = async () =>
    ((await (await fetch(`${gateway.url}/api/v1/conversations`, { headers: { Authorization: `Bearer ${API_KEY}` } })).json()) as { data: unknown[] }).data;

  it('answers Open WebUI’s title, tags and follow-up tasks with JSON in one model call: no agent, nothing stored', async () => {
    const agentCompletions = await counterTotal(gateway.url, 'aether_chat_completions_total');
    for (const [prompt, key] of [[OPEN_WEBUI_TITLE, 'title'], [OPEN_WEBUI_TAGS, 'tags'], [OPEN_WEBUI_FOLLOW_UPS, 'follow_ups']] as const) {
      const started = performance.now();
      const completion = await openai.chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: prompt }] });
      expect(performance.now() - started).toBeLessThan(1000);
      expect(Object.keys(JSON.parse(completion.choices[0].message.content ?? ''))).toEqual([key]);
    }
    expect(await counterTotal(gateway.url, 'aether_chat_completions_total')).toBe(agentCompletions);
    expect(await counterTotal(gateway.url, 'aether_utility_completions_total')).toBe(3);
    expect(await conversations()).toEqual([]);
  });

  it('gives two chats opening with the same question their own conversations, and uses a forwarded Open WebUI chat id', async () => {
    const ask = (messages: OpenAI.ChatCompletionMessageParam[]) =>
      openai.chat.completions.create({ model: 'aether-offline', messages }) as unknown as Promise<AetherCompletion>;
    const first = await ask([{ role: 'user', content: 'What lights are on?' }]);
    const other = await ask([{ role: 'user', content: 'What lights are on?' }]);
    expect(other.conversation_id).not.toBe(first.conversation_id);
    const stored = await fetch(`${gateway.url}/api/v1/conversations/${other.conversation_id}`, { headers: { Authorization: `Bearer ${API_KEY}` } });
    expect(((await stored.json()) as { message_count: number }).message_count).toBe(2);

    const forwarded = await openai.chat.completions.create(
      { model: 'aether-offline', messages: [{ role: 'user', content: 'Is the front door locked?' }] },
      { headers: { 'X-OpenWebUI-Chat-Id': 'owui-e2e-chat' } },
    );
    expect((forwarded as unknown as AetherCompletion).conversation_id).toBe('owui-e2e-chat');
  });

  it('cuts at max_tokens with finish_reason length, and refuses n: 2 once (x-should-retry: false)', async () => {
    const cut = await openai.chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: 'Analyze my energy usage' }], max_tokens: 5 });
    expect(cut.choices[0].finish_reason).toBe('length');
    expect(cut.usage?.completion_tokens).toBeLessThanOrEqual(5);
    const refused = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'aether-offline', n: 2, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-should-retry')).toBe('false');
  });

  it('answers "what can you do?" with what this deployment does, promising nothing it lacks', async () => {
    const completion = await openai.chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: 'What can you do?' }] });
    const answer = completion.choices[0].message.content ?? '';
    expect(answer).toMatch(/data science team to analyse the home's Home Assistant history: energy and costs, routines and what to automate, failing devices, other questions by a sandboxed script/);
    expect(answer).toMatch(/Propose a new or changed Home Assistant automation, script or scene for the user to approve/);
    expect(answer).toMatch(/Propose a helper \(toggle, number, dropdown, text, date\/time, button\)/);
    // Every agent of the team is built, so nothing is listed as coming later.
    expect(answer).not.toContain('Not available yet');
  });

  it('lets the origin of AETHER_CORS_ORIGINS call it from a browser, preflight and stream, and no other', async () => {
    const preflight = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { Origin: BROWSER_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(BROWSER_ORIGIN);
    const streamed = (origin: string) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { Origin: origin, Authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'aether-offline', stream: true, messages: [{ role: 'user', content: 'What lights are on?' }] }),
      });
    const allowed = await streamed(BROWSER_ORIGIN);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(BROWSER_ORIGIN);
    expect(await allowed.text()).toContain('data: [DONE]');
    const other = await streamed('https://elsewhere.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    await other.text();
  });
});
