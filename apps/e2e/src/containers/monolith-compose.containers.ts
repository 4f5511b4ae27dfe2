import type OpenAI from 'openai';
import { freePort } from '../../../../tools/start-distributed/stack.mjs';
import { ComposeStack } from '../support/compose-stack';
import { coveredHours, verifyEnergyAnswer } from '../support/energy-figures';
import { API_KEY, ENERGY_QUESTION, openaiClient } from '../support/gateway-client';

type AetherCompletion = OpenAI.Chat.Completions.ChatCompletion & { conversation_id: string };
const HA_TOKEN = 'aether-demo-token';

/** `compose.yaml` alone: the gateway with every agent in-process, on the PostgreSQL container. */
describe('monolith stack in containers (compose)', () => {
  let stack: ComposeStack;
  let gatewayUrl: string;
  let haUrl: string;

  beforeAll(async () => {
    const [gatewayPort, haPort] = [await freePort(), await freePort()];
    gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    haUrl = `http://127.0.0.1:${haPort}`;
    stack = new ComposeStack({
      project: `aether-e2e-mono-${process.pid}`,
      files: ['compose.yaml'],
      env: {
        POSTGRES_PASSWORD: 'e2e-postgres-password',
        AETHER_API_KEYS: API_KEY,
        POSTGRES_IMAGE: process.env.POSTGRES_IMAGE ?? 'aether-postgres:15',
        AETHER_PORT: String(gatewayPort),
        HA_DEMO_PORT: String(haPort),
      },
    });
    await stack.up(['postgres', 'migrate', 'app', 'ha-demo']);
    await stack.waitHealthy(['postgres', 'ha-demo', 'app'], 180_000);
  }, 240_000);

  afterAll(async () => {
    await stack?.down();
  }, 120_000);

  it('runs every agent in the gateway against the PostgreSQL container and the demo home container', async () => {
    const health = await (await fetch(`${gatewayUrl}/api/v1/health`)).json();
    expect(health).toMatchObject({ status: 'ok', mode: 'monolith', auth: { open: false } });
    expect(health.defaults.database).toMatchObject({ embedded: false });
    expect(health.defaults.database.target).toMatch(/^PostgreSQL postgres:\/\/aether:\*\*\*@postgres:5432\/aether/);
    expect(health.defaults.homeAssistant).toMatchObject({ embedded: false, url: 'http://ha-demo:8000' });
  });

  it('keeps a conversation across `compose restart app`, and continues it afterwards', async () => {
    const first = (await openaiClient(gatewayUrl).chat.completions.create({
      model: 'aether-offline',
      messages: [{ role: 'user', content: ENERGY_QUESTION }],
    })) as unknown as AetherCompletion;
    await verifyEnergyAnswer(first.choices[0].message.content ?? '', haUrl, HA_TOKEN);
    const conversationId = first.conversation_id;
    expect(conversationId).toEqual(expect.any(String));

    await stack.compose('restart', 'app');
    await stack.waitHealthy(['app'], 120_000);

    const stored = await fetch(`${gatewayUrl}/api/v1/conversations/${encodeURIComponent(conversationId)}`, {
      headers: { Authorization: `Bearer ${API_KEY}` },
    });
    expect(stored.status).toBe(200);
    const conversation = await stored.json();
    expect(conversation.message_count).toBe(2);
    expect(conversation.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
    expect(conversation.messages[1].content).toBe(first.choices[0].message.content);

    const followUp = (await openaiClient(gatewayUrl).chat.completions.create({
      model: 'aether-offline',
      messages: [{ role: 'user', content: 'and the last week?' }],
      ...({ conversation_id: conversationId } as object),
    })) as unknown as AetherCompletion;
    expect(followUp.conversation_id).toBe(conversationId);
    const report = await verifyEnergyAnswer(followUp.choices[0].message.content ?? '', haUrl, HA_TOKEN);
    // The previous calendar week in the home's zone (an hour less or more across a DST switch).
    expect([167, 168, 169]).toContain(coveredHours(report));
  }, 180_000);
});
