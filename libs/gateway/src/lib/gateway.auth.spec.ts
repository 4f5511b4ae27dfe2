import { createHash } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import { FakeAgentDirectory } from '../testing/fake-agent-directory';
import { createGatewayApp, startGatewayApp, testConfig, type GatewayTestApp } from '../testing/gateway-test-app';
import { scriptOf } from '../testing/scripted-agent-client';

const KEYS = ['sk-first-key', 'sk-second-key-that-is-longer'];
const chatBody = JSON.stringify({ model: 'aether-offline', messages: [{ role: 'user', content: 'hi' }] });

function label(key: string): string {
  return `key-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}

describe('gateway API-key auth', () => {
  describe('with AETHER_API_KEYS set', () => {
    let gateway: GatewayTestApp;
    let agents: FakeAgentDirectory;

    beforeAll(async () => {
      agents = new FakeAgentDirectory();
      agents.clients.orchestrator.script = scriptOf({ type: 'token', agent: 'orchestrator', content: 'ok' });
      gateway = await startGatewayApp({ agents, config: { apiKeys: KEYS } });
    });

    afterAll(() => gateway.close());

    const chat = (headers: Record<string, string>) =>
      fetch(`${gateway.origin}/api/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: chatBody,
      });

    it.each([
      ['no key', {}],
      ['a wrong X-API-Key', { 'x-api-key': 'sk-wrong' }],
      ['a wrong bearer token', { authorization: 'Bearer sk-first-key-but-longer' }],
      ['a key prefix', { authorization: 'Bearer sk-first' }],
      ['a non-bearer scheme', { authorization: `Basic ${KEYS[0]}` }],
    ])('rejects %s with 401 on chat and models', async (_case, headers) => {
      for (const response of [
        await chat(headers),
        await fetch(`${gateway.origin}/v1/models`, { headers }),
      ]) {
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(await response.json()).toEqual({
          error: { message: expect.any(String), type: 'authentication_error', param: null, code: 'invalid_api_key' },
        });
      }
    });

    it('accepts every configured key, as X-API-Key or bearer, and labels the caller without the key', async () => {
      expect((await chat({ 'x-api-key': KEYS[0] })).status).toBe(200);
      expect((await chat({ authorization: `Bearer ${KEYS[1]}` })).status).toBe(200);
      expect((await fetch(`${gateway.origin}/api/v1/models`, { headers: { 'x-api-key': KEYS[1] } })).status).toBe(200);

      const users = agents.clients.orchestrator.calls.map((c) => c.request.context.userId);
      expect(users).toEqual([label(KEYS[0]), label(KEYS[1])]);
      expect(users.join()).not.toContain('sk-');
    });

    it('leaves health open and reports auth as closed', async () => {
      const response = await fetch(`${gateway.origin}/api/v1/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ auth: { open: false } });
    });
  });

  describe('without keys outside production', () => {
    it('is open: callers are anonymous, health says so and the log warns loudly', async () => {
      const warnings: string[] = [];
      const logger: LoggerService = {
        log: () => undefined,
        error: () => undefined,
        warn: (message: unknown) => void warnings.push(String(message)),
      };
      const agents = new FakeAgentDirectory();
      agents.clients.orchestrator.script = scriptOf({ type: 'token', agent: 'orchestrator', content: 'ok' });
      const gateway = await startGatewayApp({ agents, logger, config: { apiKeys: [], nodeEnv: 'development' } });
      try {
        const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: chatBody,
        });
        expect(response.status).toBe(200);
        expect(agents.clients.orchestrator.calls[0].request.context.userId).toBe('anonymous');
        expect(await (await fetch(`${gateway.origin}/v1/health`)).json()).toMatchObject({ auth: { open: true } });
        expect(warnings.some((w) => w.includes('AETHER_API_KEYS') && w.includes('OPEN'))).toBe(true);
      } finally {
        await gateway.close();
      }
    });
  });

  describe('in production', () => {
    it('refuses to start without keys, naming AETHER_API_KEYS', async () => {
      const app = await createGatewayApp({ config: testConfig({ nodeEnv: 'production', apiKeys: [] }) });
      await expect(app.init()).rejects.toThrow(/AETHER_API_KEYS/);
      await app.close().catch(() => undefined);
    });

    it('starts with keys', async () => {
      const gateway = await startGatewayApp({ config: { nodeEnv: 'production', apiKeys: KEYS } });
      try {
        expect((await fetch(`${gateway.origin}/api/v1/health`)).status).toBe(200);
      } finally {
        await gateway.close();
      }
    });
  });
});
