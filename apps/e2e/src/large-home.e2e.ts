import { startFakeOpenAiServer, type FakeOpenAiServer } from '@aether/llm/testing';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type StartedApp } from '../../../tools/start-distributed/stack.mjs';
import { startDemoHomeApp, startMonolithGateway } from './support/demo-home';
import { API_KEY } from './support/gateway-client';

const ENTITY_COUNT = 2_000;
const DOMAINS = ['light', 'switch', 'sensor', 'binary_sensor', 'climate', 'cover', 'lock', 'media_player', 'fan', 'input_boolean'];

/** A big home generated here: 4 floors, 48 areas, 500 devices, 2,000 entities with registries. */
function largeHomeFixture() {
  const floors = Array.from({ length: 4 }, (_, f) => ({ floor_id: `floor_${f}`, name: `Floor ${f}`, level: f }));
  const areas = Array.from({ length: 48 }, (_, a) => ({ area_id: `area_${a}`, name: `Room ${a}`, floor_id: `floor_${a % 4}` }));
  const devices = Array.from({ length: 500 }, (_, d) => ({
    id: `device_${d}`,
    name: `Device ${d}`,
    area_id: `area_${d % 48}`,
    manufacturer: 'Acme',
    model: `M${d % 7}`,
  }));
  const states = Array.from({ length: ENTITY_COUNT }, (_, i) => {
    const domain = DOMAINS[i % DOMAINS.length];
    return {
      entity_id: `${domain}.item_${i}`,
      state: domain === 'sensor' ? String((i % 300) / 10) : i % 3 === 0 ? 'on' : 'off',
      attributes: { friendly_name: `Item ${i} ${domain.replace('_', ' ')}` },
      last_changed: '2026-11-29T08:00:00+00:00',
    };
  });
  const entityRegistry = states.map((state, i) => ({ entity_id: state.entity_id, platform: 'acme', device_id: `device_${i % 500}`, area_id: null, name: null }));
  return { states, entity_registry: entityRegistry, device_registry: devices, area_registry: areas, floor_registry: floors };
}

/** A chat message's text: a string, or OpenAI's content parts. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part: { text?: string }) => part.text ?? '').join('');
  return '';
}

/**
 * Acceptance: a home of 2,000 entities is discovered in under 10 s, and the Architect's prompt stays
 * under 4,000 tokens for it — measured on the request the Architect really sends to the model (a
 * loopback OpenAI-compatible server), so the catalog is reached through tools, not the prompt.
 */
describe('a 2,000-entity home (fixture served by the demo home, monolith gateway)', () => {
  let home: StartedApp;
  let gateway: StartedApp;
  let llm: FakeOpenAiServer;

  beforeAll(async () => {
    const fixtureFile = path.join(mkdtempSync(path.join(tmpdir(), 'aether-large-home-')), 'home.json');
    writeFileSync(fixtureFile, JSON.stringify(largeHomeFixture()));
    home = await startDemoHomeApp({ HA_DEMO_FIXTURE: fixtureFile });
    llm = await startFakeOpenAiServer(() => ({ text: 'I looked at your home.' }), { validate: true });
    gateway = await startMonolithGateway(home, { env: { LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: 'fake-key', LLM_MODEL: 'fake-model' }, timeoutMs: 90_000 });
  }, 120_000);
  afterAll(async () => {
    await gateway?.stop();
    await home?.stop();
    await llm?.close();
  });

  async function chat(agent: string, content: string): Promise<string> {
    const res = await fetch(`${gateway.url}/api/v1/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': API_KEY },
      body: JSON.stringify({ model: 'fake-model', agent, messages: [{ role: 'user', content }] }),
    });
    expect(res.status).toBe(200);
    return (await res.json()).choices[0].message.content;
  }

  it('discovers every entity in under 10 s', async () => {
    const started = performance.now();
    const answer = await chat('librarian', 'Discover my home');
    const seconds = (performance.now() - started) / 1000;
    expect(answer.replace(/[,\u202f\u00a0 ](?=\d{3}\b)/g, '')).toContain(String(ENTITY_COUNT));
    expect(seconds).toBeLessThan(10);
  }, 30_000);

  it("keeps the Architect's whole model request (system prompt, question, tool definitions) under 4,000 tokens", async () => {
    const before = llm.requests.length;
    await chat('architect', 'What lights are on?');
    const request = llm.requests.slice(before).find((r) => (r.body.tools ?? []).some((t) => t.function.name === 'list_entities_by_domain'));
    expect(request).toBeDefined();
    // The provider validates as strict servers do (Gemini, vLLM chat templates): every request accepted.
    expect(llm.requests.slice(before).map((r) => r.rejected)).toEqual(llm.requests.slice(before).map(() => undefined));
    const sent = JSON.stringify({ messages: request!.body.messages, tools: request!.body.tools });
    const tokens = new Tiktoken(cl100kBase).encode(sent).length;
    expect(tokens).toBeLessThan(4_000);
    // The prompt knows the home's size, but not its entity list.
    const system = textOf(request!.body.messages.find((m) => m.role === 'system')?.content);
    expect(system.replace(/[,\u202f\u00a0 ](?=\d{3}\b)/g, '')).toContain(String(ENTITY_COUNT));
    expect(system.match(/\b(?:light|switch|sensor)\.item_\d+/g) ?? []).toHaveLength(0);
  }, 30_000);
});
