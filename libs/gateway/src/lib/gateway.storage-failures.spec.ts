import { AgentError, type ChatTurn } from '@aether/core';
import { QueryFailedError } from 'typeorm';
import { toOpenAiError } from './errors/to-openai-error';
import { FakeAgentDirectory } from '../testing/fake-agent-directory';
import { InMemoryConversationStore } from '../testing/in-memory-conversation.store';
import { startGatewayApp, type GatewayTestApp } from '../testing/gateway-test-app';
import { scriptOf } from '../testing/scripted-agent-client';

const API_KEY = 'sk-storage';

/** A store whose reads of history fail while its writes still work (a timed-out query, a lock). */
class HistoryFailingStore extends InMemoryConversationStore {
  override async history(): Promise<ChatTurn[]> {
    throw new QueryFailedError('SELECT role, content FROM conversation_messages', [], new Error('canceling statement due to statement timeout'));
  }
}

describe('storage failures are reported as storage failures', () => {
  it('maps a database error nobody wrapped to a 503 storage_unavailable, never to an agent being unreachable', () => {
    const postgres = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01', severity: 'FATAL' });
    for (const error of [new QueryFailedError('SELECT 1', [], new Error('connection terminated')), postgres]) {
      expect(toOpenAiError(error)).toEqual({
        status: 503,
        body: { error: { message: expect.stringMatching(/Storage is unavailable/), type: 'server_error', param: null, code: 'storage_unavailable' } },
      });
    }
    expect(toOpenAiError(new AgentError('agent_unavailable', 'The architect agent is unreachable', 'architect')).body.error.code).toBe('agent_unavailable');
    // An agent's own database failing, reported across the hops (see storage-failure-across-hops.spec.ts).
    expect(toOpenAiError(new AgentError('storage_unavailable', "The librarian agent's database did not answer", 'librarian'))).toMatchObject({
      status: 503,
      body: { error: { code: 'storage_unavailable', type: 'server_error' } },
    });
    expect(toOpenAiError(new Error('a bug')).status).toBe(500);
  });

  describe('when the history of a follow-up cannot be read', () => {
    let gateway: GatewayTestApp;
    let agents: FakeAgentDirectory;
    let store: HistoryFailingStore;

    beforeAll(async () => {
      agents = new FakeAgentDirectory();
      agents.clients.orchestrator.script = scriptOf({ type: 'token', agent: 'orchestrator', content: 'ok' });
      store = new HistoryFailingStore();
      gateway = await startGatewayApp({ agents, conversations: store, config: { apiKeys: [API_KEY] } });
    });
    afterAll(() => gateway.close());

    it('answers 503 conversation_store_unavailable, runs no agent, and keeps the question with the failure as its answer', async () => {
      const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
        body: JSON.stringify({ model: 'aether-offline', messages: [{ role: 'user', content: 'and yesterday?' }], conversation_id: 'conv-kept' }),
      });
      expect(response.status).toBe(503);
      expect((await response.json()).error).toMatchObject({ type: 'server_error', code: 'conversation_store_unavailable' });
      expect(agents.clients.orchestrator.calls).toHaveLength(0);

      const firstAppend = store.calls.find((call) => call.method === 'append')?.args[0] as { userId: string } | undefined;
      const kept = await store.get('conv-kept', firstAppend?.userId ?? '');
      expect(kept?.messages.map((m) => [m.role, m.status, m.content])).toEqual([
        ['user', 'complete', 'and yesterday?'],
        ['assistant', 'failed', expect.stringMatching(/Conversation memory is unavailable/)],
      ]);
    });
  });
});
