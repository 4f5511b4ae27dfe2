import { activeTraceIds, currentLogContext } from '@aether/core';
import { pino, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
import { scrubSecrets, secretsFromEnv } from './secret-scrubber';

/** Nest's level names, as `LOG_LEVEL` takes them. */
export type LogLevelName = 'error' | 'warn' | 'log' | 'debug' | 'verbose';
export type LogFormat = 'json' | 'pretty';

const PINO_LEVEL: Readonly<Record<LogLevelName, string>> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

export interface ProcessLoggerOptions {
  /** The `service` field of every line ("gateway", "architect", "ha-demo", …). */
  service: string;
  level: LogLevelName;
  /** Unset: pretty text on a terminal, JSON lines otherwise (files, pipes, containers). */
  format?: LogFormat;
  /** Where lines go; stdout by default. */
  destination?: DestinationStream;
  /** Where secret values are read from (to keep them out of every line); `process.env` by default. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The process's one logger (pino): JSON lines with `time`, `level`, `service`, `message`, the
 * `trace_id` and `span_id` of the span being run (when tracing is on), the `agent` and
 * `conversation_id` of the work being done (`withLogContext`), and never a secret. A
 * terminal gets the same lines as pretty text without colour codes leaking into files.
 */
export async function createProcessLogger(options: ProcessLoggerOptions): Promise<Logger> {
  const secrets = secretsFromEnv(options.env);
  const format = options.format ?? (process.stdout.isTTY ? 'pretty' : 'json');
  const destination =
    options.destination ??
    (format === 'pretty'
      ? // Loaded only for a terminal; `sync` keeps it in this thread (no transport worker per process).
        (await import('pino-pretty')).default({
          sync: true,
          messageKey: 'message',
          messageFormat: '{if context}[{context}] {end}{message}',
          ignore: 'service,context',
          translateTime: 'SYS:HH:MM:ss.l',
        })
      : pino.destination({ sync: true }));
  return pino(
    {
      level: PINO_LEVEL[options.level],
      base: { service: options.service },
      messageKey: 'message',
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const context = currentLogContext();
        const trace = activeTraceIds();
        if (!context && !trace) return {};
        return {
          ...(trace ? { trace_id: trace.traceId, span_id: trace.spanId } : {}),
          ...(context?.agent ? { agent: context.agent } : {}),
          ...(context?.conversationId ? { conversation_id: context.conversationId } : {}),
        };
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = secrets.length ? args.map((arg) => scrubArgument(arg, secrets)) : args;
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

function scrubArgument(arg: unknown, secrets: readonly string[]): unknown {
  if (typeof arg === 'string') return scrubSecrets(arg, secrets);
  if (arg === null || typeof arg !== 'object') return arg;
  // Objects of our own adapter's making carry text fields (stack, data); a string of them is scrubbed, the rest kept.
  return Object.fromEntries(Object.entries(arg).map(([key, value]) => [key, typeof value === 'string' ? scrubSecrets(value, secrets) : value]));
}

const LEVELS: readonly LogLevelName[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/**
 * The logger of a process that runs without Aether's configuration (the demo home, the stack's
 * database server): `LOG_LEVEL` and `LOG_FORMAT` read as the services read them, an unknown value
 * falling back to the default.
 */
export function createProcessLoggerFromEnv(service: string, env: NodeJS.ProcessEnv = process.env): Promise<Logger> {
  const level = env['LOG_LEVEL']?.trim() as LogLevelName | undefined;
  const format = env['LOG_FORMAT']?.trim();
  return createProcessLogger({
    service,
    level: level && LEVELS.includes(level) ? level : 'log',
    ...(format === 'json' || format === 'pretty' ? { format } : {}),
    env,
  });
}
