import { startDistributedStack, type DistributedStack } from '../../../tools/start-distributed/stack.mjs';
import { stackDatabase, type E2eDatabase } from './support/database';
import { API_KEY, openaiClient } from './support/gateway-client';
import { LOAD_QUESTIONS, streamChat, type StreamedChat } from './support/chat-load';

const CONCURRENT_CHATS = 100;

/**
 * The distributed process stack under a burst of concurrent streaming chats, as a household of
 * Open WebUI tabs would send them (mixed questions, some with the whole earlier conversation
 * resent): every stream must end properly, with no error, none lost.
 */
describe('distributed stack under load: 100 concurrent streaming chats', () => {
  let stack: DistributedStack;
  let database: E2eDatabase;

  beforeAll(async () => {
    stack = await startDistributedStack({ randomPorts: true, env: (database = await stackDatabase()).env });
  });
  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  });

  it('answers every one of them (HTTP 200, content, finish_reason stop, data: [DONE]) and stays healthy', async () => {
    const results = await Promise.all(
      Array.from({ length: CONCURRENT_CHATS }, (_, i) =>
        streamChat(stack.gateway.url, API_KEY, LOAD_QUESTIONS[i % LOAD_QUESTIONS.length], { withHistory: i % 3 === 0 }),
      ),
    );

    const failed = results.filter((r: StreamedChat) => !r.ok);
    expect(failed.map((r) => `${r.question}: ${r.problem}`)).toEqual([]);
    expect(results).toHaveLength(CONCURRENT_CHATS);
    for (const r of results) {
      expect(r.content.length).toBeGreaterThan(0);
      expect(r.finishReason).toBe('stop');
    }

    // The stack is still whole: every service answers its health check, and a chat through the
    // official SDK right after the burst streams to its end.
    const health = await fetch(`${stack.gateway.url}/api/v1/health`);
    expect(health.status).toBe(200);
    for (const agent of Object.values(stack.agents)) expect((await fetch(`${agent.url}/health`)).status).toBe(200);
    const stream = await openaiClient(stack.gateway.url).chat.completions.create({
      model: 'aether-offline',
      stream: true,
      messages: [{ role: 'user', content: 'What lights are on?' }],
    });
    let finish: string | null | undefined;
    for await (const chunk of stream) finish = chunk.choices[0]?.finish_reason ?? finish;
    expect(finish).toBe('stop');
  });
});
