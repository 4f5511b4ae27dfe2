import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/**
 * Nest start-up chatter ("Mapped {/v1/models, GET} route", "… dependencies initialized") is kept
 * at debug level: a service's info lines should be what it does, not how it was wired.
 */
const WIRING_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

/**
 * Nest's logger interface over the process's pino logger. Hand-written (a few lines) rather than
 * nestjs-pino: that one ties logging to a pino-http child logger per request, work added to every
 * A2A hop, while our lines take their context from the agent run's scope (`withLogContext`).
 * Nest calls `log(message, context)` and `error(message, stack?, context)`.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    const context = contextOf(params);
    this.write(context && WIRING_CONTEXTS.has(context) ? 'debug' : 'info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const context = contextOf(params);
    const rest = context === undefined ? params : params.slice(0, -1);
    const fields: Record<string, unknown> = context ? { context } : {};
    const stack = rest.find((param): param is string => typeof param === 'string' && param.includes('\n'));
    if (stack) fields['stack'] = stack;
    const error = message instanceof Error ? message : rest.find((param): param is Error => param instanceof Error);
    if (error) fields['stack'] = error.stack ?? String(error);
    const text = message instanceof Error ? message.message : typeof message === 'string' ? message : undefined;
    if (text === undefined && message !== undefined) fields['data'] = message;
    this.pino[level](fields, text ?? '');
  }
}

/** Nest passes the context name last (a string without line breaks, after any stack). */
function contextOf(params: readonly unknown[]): string | undefined {
  const last = params.at(-1);
  return typeof last === 'string' && !last.includes('\n') ? last : undefined;
}
