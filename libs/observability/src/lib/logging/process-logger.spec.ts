import { inSpan, withLogContext } from '@aether/core';
import { recordSpans } from '@aether/core/testing';
import { Logger } from '@nestjs/common';
import { createProcessLogger, createProcessLoggerFromEnv } from './process-logger';
import { PinoNestLogger } from './pino-nest.logger';
import { REDACTED, secretsFromEnv } from './secret-scrubber';

/** A destination that keeps the lines pino writes. */
function lines() {
  const written: string[] = [];
  return { written, destination: { write: (line: string) => void written.push(line) }, parsed: () => written.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('the process logger', () => {
  const env = {
    LLM_API_KEY: 'sk-live-0123456789',
    AETHER_SERVICE_TOKEN: 'service-token-abcdef',
    AETHER_API_KEYS: 'first-key-111111, second-key-222222',
    HA_TOKEN: 'eyJhbGciOiJIUzI1NiJ9.ha-token',
    DATABASE_URL: 'postgres://aether:p%40ss-w0rd!@db:5432/aether',
    LOG_LEVEL: 'warn',
    SHORT_TOKEN: 'abc',
    HOME: '/home/someone',
  };

  it('writes JSON lines with time, level, service and message, at the levels LOG_LEVEL lets through', async () => {
    const out = lines();
    const logger = await createProcessLogger({ service: 'architect', level: 'log', destination: out.destination, env: {} });
    logger.debug('not shown');
    logger.info('shown');
    const [line] = out.parsed();
    expect(out.written).toHaveLength(1);
    expect(line).toMatchObject({ level: 'info', service: 'architect', message: 'shown' });
    expect(new Date(line['time'] as string).toISOString()).toBe(line['time']);
    expect(out.written[0]).not.toContain('\u001b[');
  });

  it('names the agent and the conversation of the work a line is written in, through awaits, and nothing outside it', async () => {
    const out = lines();
    const logger = await createProcessLogger({ service: 'gateway', level: 'log', destination: out.destination, env: {} });
    await withLogContext({ agent: 'architect', conversationId: 'conv-7' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      logger.info('inside');
    });
    logger.info('outside');
    expect(out.parsed()).toEqual([
      expect.objectContaining({ message: 'inside', agent: 'architect', conversation_id: 'conv-7' }),
      expect.not.objectContaining({ agent: expect.anything(), conversation_id: expect.anything() }),
    ]);
  });

  it('names the trace and span a line is written in when tracing is on', async () => {
    const out = lines();
    const logger = await createProcessLogger({ service: 'gateway', level: 'log', destination: out.destination, env: {} });
    const recorded = recordSpans();
    try {
      const span = await inSpan('work', {}, async (active) => {
        await new Promise((resolve) => setImmediate(resolve));
        logger.info('inside');
        return active.spanContext();
      });
      logger.info('outside');
      expect(out.parsed()).toEqual([
        expect.objectContaining({ message: 'inside', trace_id: span.traceId, span_id: span.spanId }),
        expect.not.objectContaining({ trace_id: expect.anything() }),
      ]);
    } finally {
      await recorded.stop();
    }
  });

  it('never writes a secret of the environment, in messages, stacks or Nest\'s lines', async () => {
    const out = lines();
    const logger = await createProcessLogger({ service: 'gateway', level: 'log', destination: out.destination, env });
    const nest = new PinoNestLogger(logger);
    logger.warn(`calling the model with key ${env.LLM_API_KEY}`);
    nest.error(`connect failed: ${env.DATABASE_URL}`, new Error(`bad token ${env.HA_TOKEN}`).stack, 'Persistence');
    nest.warn(`keys: first-key-111111 and second-key-222222, token service-token-abcdef, password p@ss-w0rd!`, 'GatewayAuth');
    const text = out.written.join('');
    for (const secret of ['sk-live-0123456789', 'service-token-abcdef', 'first-key-111111', 'second-key-222222', 'eyJhbGciOiJIUzI1NiJ9.ha-token', 'p%40ss-w0rd!', 'p@ss-w0rd!']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain(REDACTED);
    expect(out.parsed()[1]).toMatchObject({ level: 'error', context: 'Persistence', stack: expect.stringContaining('bad token [redacted]') });
  });

  it('takes secrets from *_TOKEN, *_API_KEY(S), *_PASSWORD, *_SECRET and URL credentials, not from other variables or values too short to be one', () => {
    expect(secretsFromEnv(env).sort()).toEqual(
      ['sk-live-0123456789', 'service-token-abcdef', 'first-key-111111', 'second-key-222222', 'eyJhbGciOiJIUzI1NiJ9.ha-token', 'p%40ss-w0rd!', 'p@ss-w0rd!'].sort(),
    );
  });

  it('reads LOG_LEVEL where a process has no Aether configuration, and falls back to the default on a value it does not know', async () => {
    const out = lines();
    const quiet = await createProcessLoggerFromEnv('ha-demo', { LOG_LEVEL: 'warn', LOG_FORMAT: 'json' });
    expect(quiet.level).toBe('warn');
    expect((await createProcessLoggerFromEnv('ha-demo', { LOG_LEVEL: 'loud', LOG_FORMAT: 'json' })).level).toBe('info');
    expect(out.written).toEqual([]);
  });
});

describe('PinoNestLogger', () => {
  it('gives Nest\'s lines their context, keeps its wiring chatter at debug level, and keeps an error\'s stack', async () => {
    const out = lines();
    const logger = await createProcessLogger({ service: 'librarian', level: 'debug', destination: out.destination, env: {} });
    const nest = new PinoNestLogger(logger);
    nest.log('Mapped {/health, GET} route', 'RouterExplorer');
    nest.log('catalog synced', 'Librarian');
    nest.error(new Error('boom'));
    nest.warn({ entities: 3 }, 'Sync');
    expect(out.parsed()).toEqual([
      expect.objectContaining({ level: 'debug', context: 'RouterExplorer', message: 'Mapped {/health, GET} route' }),
      expect.objectContaining({ level: 'info', context: 'Librarian', message: 'catalog synced' }),
      expect.objectContaining({ level: 'error', message: 'boom', stack: expect.stringContaining('Error: boom') }),
      expect.objectContaining({ level: 'warn', context: 'Sync', data: { entities: 3 } }),
    ]);
  });

  it('serves Nest\'s static Logger once installed', async () => {
    const out = lines();
    Logger.overrideLogger(new PinoNestLogger(await createProcessLogger({ service: 'ha-demo', level: 'log', destination: out.destination, env: {} })));
    try {
      new Logger('HaDemo').log('listening');
      expect(out.parsed()).toEqual([expect.objectContaining({ service: 'ha-demo', context: 'HaDemo', message: 'listening' })]);
    } finally {
      Logger.overrideLogger(true);
    }
  });
});
