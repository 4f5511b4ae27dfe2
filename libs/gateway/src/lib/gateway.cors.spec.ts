import { startGatewayApp, type GatewayTestApp } from '../testing/gateway-test-app';
import { FakeAgentDirectory } from '../testing/fake-agent-directory';
import { scriptOf } from '../testing/scripted-agent-client';

const ALLOWED = 'https://chat.example.com';
const OTHER = 'https://evil.example.net';

/** What a browser sends and reads (fetch here sends Origin as a browser would; it does not enforce CORS). */
describe('CORS for browser clients (AETHER_CORS_ORIGINS)', () => {
  let gateway: GatewayTestApp;

  beforeAll(async () => {
    const agents = new FakeAgentDirectory();
    agents.clients.orchestrator.script = scriptOf({ type: 'token', agent: 'orchestrator', content: 'ok' });
    gateway = await startGatewayApp({ agents, config: { apiKeys: ['sk-cors'], corsOrigins: [ALLOWED, 'http://localhost:3000'] } });
  });

  afterAll(() => gateway.close());

  const preflight = (origin: string) =>
    fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });

  const stream = (origin: string) =>
    fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { Origin: origin, Authorization: 'Bearer sk-cors', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'aether-offline', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });

  it('answers a listed origin’s preflight without asking for a key, allowing its headers', async () => {
    const response = await preflight(ALLOWED);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
  });

  it('gives a listed origin the CORS headers on the stream, the conversation id readable', async () => {
    const response = await stream(ALLOWED);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-expose-headers')).toContain('X-Aether-Conversation-Id');
    expect(await response.text()).toContain('data: [DONE]');
  });

  it('gives any other origin no CORS headers, on the preflight or the stream', async () => {
    const denied = await preflight(OTHER);
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    const response = await stream(OTHER);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    await response.text();
  });
});
