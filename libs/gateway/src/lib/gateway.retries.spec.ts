import { AgentError } from '@aether/core';
import { ChatOpenAI } from '@langchain/openai';
import type { LoggerService } from '@nestjs/common';
import OpenAI, { APIError } from 'openai';
import { FakeAgentDirectory } from '../testing/fake-agent-directory';
import { startGatewayApp, type GatewayTestApp } from '../testing/gateway-test-app';
import { failWith } from '../testing/scripted-agent-client';

/** Log lines by level, to check there is one per failed request. */
class RecordingLogger implements LoggerService {
  readonly lines: Array<{ level: string; message: string }> = [];
  log(message: string) { this.lines.push({ level: 'log', message }); }
  error(message: string) { this.lines.push({ level: 'error', message }); }
  warn(message: string) { this.lines.push({ level: 'warn', message }); }
  debug(message: string) { this.lines.push({ level: 'debug', message }); }
  verbose(message: string) { this.lines.push({ level: 'verbose', message }); }
  count(level: string): number { return this.lines.filter((line) => line.level === level).length; }
}

/** The clients as they come, default retries included: what a user of the SDK or LangChain gets. */
describe('errors clients should not retry are raised once; a 503 is retried as usual', () => {
  let gateway: GatewayTestApp;
  let agents: FakeAgentDirectory;
  let logger: RecordingLogger;
  let requests: number;

  beforeEach(async () => {
    agents = new FakeAgentDirectory();
    logger = new RecordingLogger();
    gateway = await startGatewayApp({ agents, logger, config: { retryAfterMs: 20 } });
    requests = 0;
    gateway.app.getHttpServer().on('request', () => requests++);
    logger.lines.length = 0;
  });

  afterEach(() => gateway.close());

  const openai = () => new OpenAI({ baseURL: `${gateway.origin}/v1`, apiKey: 'unused-in-open-mode' });
  const langchain = (fields: ConstructorParameters<typeof ChatOpenAI>[0] = {}) =>
    new ChatOpenAI({ model: 'aether-offline', apiKey: 'unused-in-open-mode', configuration: { baseURL: `${gateway.origin}/v1` }, ...fields });

  async function timed<T>(call: () => Promise<T>): Promise<{ error: unknown; ms: number }> {
    const started = performance.now();
    const error = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
    return { error, ms: performance.now() - started };
  }

  const notBuilt = () => failWith(new AgentError('not_implemented', 'The diagnostic analyst is not available yet.', 'ds-analysts'));

  it('the openai SDK raises a capability not built yet (400, never a 501) once, well under 1 s, logged once as a warning', async () => {
    agents.clients.orchestrator.script = notBuilt();
    const { error, ms } = await timed(() => openai().chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: 'Why is my sensor unavailable?' }] }));
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 400, code: 'not_implemented' });
    expect((error as APIError).headers?.get('x-should-retry')).toBe('false');
    expect(requests).toBe(1);
    expect(ms).toBeLessThan(1000);
    expect([logger.count('warn'), logger.count('error')]).toEqual([1, 0]);
  });

  it('LangChain ChatOpenAI, default retries and all, raises a capability not built yet once, well under 1 s', async () => {
    agents.clients.orchestrator.script = notBuilt();
    const { error, ms } = await timed(() => langchain().invoke('Why is my sensor unavailable?'));
    expect(error).toMatchObject({ status: 400 });
    expect(requests).toBe(1);
    expect(ms).toBeLessThan(1000);
  });

  it('the openai SDK raises a 400 once, with x-should-retry: false', async () => {
    const { error, ms } = await timed(() => openai().chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: 'hi' }], n: 2 }));
    expect(error).toMatchObject({ status: 400, param: 'n' });
    expect((error as APIError).headers?.get('x-should-retry')).toBe('false');
    expect(requests).toBe(1);
    expect(ms).toBeLessThan(1000);
    expect([logger.count('warn'), logger.count('error')]).toEqual([1, 0]);
  });

  it('LangChain ChatOpenAI raises a 400 once, well under 1 s', async () => {
    const { error, ms } = await timed(() => langchain({ logprobs: true }).invoke('hi'));
    expect(error).toMatchObject({ status: 400 });
    expect(requests).toBe(1);
    expect(ms).toBeLessThan(1000);
  });

  it('a 503 (agent down) carries Retry-After and the openai SDK retries it as it normally does', async () => {
    agents.clients.orchestrator.script = failWith(new AgentError('agent_unavailable', 'The orchestrator is unreachable.', 'orchestrator'));
    const { error } = await timed(() => openai().chat.completions.create({ model: 'aether-offline', messages: [{ role: 'user', content: 'hi' }] }));
    expect((error as APIError).status).toBe(503);
    expect((error as APIError).headers?.get('retry-after')).toBe('1');
    expect((error as APIError).headers?.get('retry-after-ms')).toBe('20');
    expect((error as APIError).headers?.get('x-should-retry')).toBeNull();
    // maxRetries 2 by default: three attempts, each failed request logged once, as an error.
    expect(requests).toBe(3);
    expect([logger.count('warn'), logger.count('error')]).toEqual([0, 3]);
  });
});
