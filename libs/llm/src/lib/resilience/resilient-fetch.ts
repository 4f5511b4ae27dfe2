import { DEFAULT_LLM_CALL_SETTINGS, type LlmCallSettings } from '@aether/config';
import { BrokenCircuitError, circuitBreaker, CircuitState, ConsecutiveBreaker, handleAll, type CircuitBreakerPolicy } from 'cockatiel';
import { streamAssistantRole, wholeAssistantRole } from './assistant-role';
import { normaliseChatRequest, sanitiseToolSchema, type ChatRequestBody } from './provider-compat';
import { streamRefusalsAsContent, wholeRefusalAsContent } from './refusal-as-content';
import { streamStrictToolCalls, wholeStrictToolCalls } from './strict-tools';

/** A model on an OpenAI-compatible server (`baseUrl` includes `/v1`). */
export interface ModelEndpoint {
  model: string;
  baseUrl: string;
}

/** Longest `Retry-After` worth waiting for: beyond it the next fallback model is tried instead. */
const MAX_RETRY_AFTER_MS = 60_000;
/** Rough tokens per character of JSON, enough to trim a history to a budget without a tokenizer. */
const CHARS_PER_TOKEN = 4;

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export type ProviderCircuitState = 'closed' | 'half_open' | 'open';

/** Told what the model call layer does (wired to Prometheus by `LlmModule` where a metrics registry exists). */
export interface ModelCallObserver {
  circuitStateChanged(provider: string, model: string, state: ProviderCircuitState): void;
  retried(provider: string, reason: 'rate_limited' | 'server_error' | 'transport'): void;
  failedOver(from: string, to: string): void;
  contextTrimmed(model: string): void;
  /** One model call of an agent finished (`ok`, or `error`), taking `seconds` from request to the last token. */
  callFinished?(agent: string, model: string, seconds: number, outcome: 'ok' | 'error'): void;
}

/** A provider's label: the base URL's host and path, never credentials or query. */
export function providerLabel(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return 'invalid-url';
  }
}

/**
 * One circuit breaker per provider and model (base URL + model), shared by every agent of a
 * factory: a model that keeps failing is skipped for a while, and a fallback model on the same
 * server is still tried (one breaker per base URL would block it too).
 */
export class ProviderBreakers {
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();
  constructor(
    private readonly settings: Pick<LlmCallSettings, 'breakerFailures' | 'breakerHalfOpenAfterMs'>,
    private readonly observer?: ModelCallObserver,
  ) {}

  for(endpoint: ModelEndpoint): CircuitBreakerPolicy {
    const key = `${endpoint.model}@${endpoint.baseUrl}`;
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = circuitBreaker(handleAll, {
        halfOpenAfter: this.settings.breakerHalfOpenAfterMs,
        breaker: new ConsecutiveBreaker(this.settings.breakerFailures),
      });
      const provider = providerLabel(endpoint.baseUrl);
      breaker.onStateChange((state) =>
        this.observer?.circuitStateChanged(provider, endpoint.model, state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'half_open' : 'open'),
      );
      this.breakers.set(key, breaker);
    }
    return breaker;
  }
}

export interface ResilientFetchOptions {
  settings?: Partial<LlmCallSettings>;
  /** Tried in order once the requested model has failed with 429/5xx/transport errors after its retries, or timed out. */
  fallbacks?: readonly ModelEndpoint[];
  breakers?: ProviderBreakers;
  observer?: ModelCallObserver;
  fetch?: Fetch;
  /** Jitter source, replaceable in tests. */
  random?: () => number;
}

/** What one attempt ended with, before deciding to retry, trim or fail over. */
type Attempt =
  | { kind: 'response'; response: Response }
  | { kind: 'error'; status: number; body: string; response: Response }
  | { kind: 'transport'; error: unknown }
  | { kind: 'timeout'; response: Response };

/** A retryable failure, thrown inside the breaker so that it counts; carries what the caller gets if nothing else works. */
class ProviderFailure extends Error {
  constructor(readonly response: Response) {
    super('provider failure');
  }
}

/**
 * The `fetch` every chat model's OpenAI client uses: the one place model calls are bounded,
 * retried and failed over, so that each agent gets the same behaviour whatever LangChain or the
 * SDK would do (their retries are turned off).
 *
 * Per chat-completion request: connect (headers), first-token (first body bytes) and overall
 * timeouts per attempt (a request that does not stream gets its headers only once the whole answer
 * is written, so only the overall limit applies to it), each failing with a 504 that names the model and the variable to raise
 * (the SDK keeps a response's message; a thrown error would become "Connection error.");
 * retries of 429, 5xx and transport errors with exponential back-off and jitter, or the server's
 * `Retry-After`; a breaker per provider and model, which a timeout counts against too; then the
 * fallback models in order (after a timeout, without retrying the stalled model);
 * `context_length_exceeded` → the history is trimmed to `contextTokens` and sent once more.
 * Each body is first made acceptable to every OpenAI-compatible server, for the model it goes to
 * (`normaliseChatRequest`: one string system message first, sanitised tool schemas, no sampling
 * parameters for reasoning models, an `LLM_MAX_OUTPUT_TOKENS` cap) — here, because every agent's
 * and the utility model's calls pass this point. A refusal comes back as content (see
 * `refusal-as-content.ts`); with `LLM_STRICT_TOOLS`, tools go as strict schemas to the primary
 * server and the nulls strict mode writes for optional arguments are removed (`strict-tools.ts`).
 * Other requests pass through.
 */
export function createResilientFetch(options: ResilientFetchOptions = {}): Fetch {
  const settings: LlmCallSettings = { ...DEFAULT_LLM_CALL_SETTINGS, ...options.settings };
  const observer = options.observer;
  const breakers = options.breakers ?? new ProviderBreakers(settings, observer);
  const fetchImpl: Fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const random = options.random ?? Math.random;

  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.endsWith('/chat/completions') || typeof init?.body !== 'string') return fetchImpl(input, init);
    let body: ChatRequestBody;
    try {
      body = JSON.parse(init.body);
    } catch {
      return fetchImpl(input, init);
    }
    const signal = init.signal ?? undefined;
    const primary: ModelEndpoint = { model: String(body.model), baseUrl: url.slice(0, -'/chat/completions'.length) };
    const candidates = [primary, ...(options.fallbacks ?? []).filter((f) => f.model !== primary.model || f.baseUrl !== primary.baseUrl)];

    let last: Response | undefined;
    let lastTransport: unknown;
    for (const [index, endpoint] of candidates.entries()) {
      if (index > 0) observer?.failedOver(candidates[index - 1].model, endpoint.model);
      const headers = new Headers(init.headers);
      // A key belongs to its provider: never sent to another base URL.
      if (endpoint.baseUrl !== primary.baseUrl) headers.delete('authorization');
      // Normalised per candidate: a fallback may be a model of another family (a reasoning one).
      // Strict schemas only where the user said the server takes them: a fallback on another server gets the portable subset.
      const strictTools = settings.strictTools && endpoint.baseUrl === primary.baseUrl;
      const requestBody = normaliseChatRequest({ ...body, model: endpoint.model }, settings.maxOutputTokens, { strictTools });
      const strictSchemas = strictTools ? toolSchemas(body) : undefined;
      try {
        return await breakers.for(endpoint).execute(() => callWithRetries(endpoint, requestBody, headers, strictSchemas));
      } catch (error) {
        if (signal?.aborted) throw error;
        if (error instanceof ProviderFailure) last = error.response;
        else if (error instanceof BrokenCircuitError) last ??= errorResponse(503, `${describe(endpoint)}: circuit open after ${settings.breakerFailures} consecutive failures`, 'circuit_open');
        else lastTransport = error;
      }
    }
    if (last) return last;
    throw lastTransport;

    async function callWithRetries(endpoint: ModelEndpoint, requestBody: typeof body, headers: Headers, strictSchemas?: ToolSchemas): Promise<Response> {
      let trimmed = false;
      for (let retry = 0; ; retry++) {
        const attempt = await attemptOnce(endpoint, JSON.stringify(requestBody), headers, strictSchemas);
        if (attempt.kind === 'response') return attempt.response;
        // A stalled model is a failing provider: it counts for the breaker and the next fallback
        // is tried, but it is not retried (another wait of the same limit on the same model).
        if (attempt.kind === 'timeout') throw new ProviderFailure(attempt.response);
        if (attempt.kind === 'error' && isContextOverflow(attempt.status, attempt.body) && !trimmed) {
          const messages = trimToBudget(requestBody.messages ?? [], settings.contextTokens);
          if (!messages) return attempt.response;
          requestBody = { ...requestBody, messages };
          trimmed = true;
          observer?.contextTrimmed(endpoint.model);
          retry--;
          continue;
        }
        if (attempt.kind === 'error' && !isRetryableStatus(attempt.status)) return attempt.response;
        const retryAfter = attempt.kind === 'error' ? retryAfterMs(attempt.response.headers) : undefined;
        if (retry >= settings.maxRetries || (retryAfter ?? 0) > MAX_RETRY_AFTER_MS) {
          if (attempt.kind === 'error') throw new ProviderFailure(attempt.response);
          throw attempt.error;
        }
        observer?.retried(
          providerLabel(endpoint.baseUrl),
          attempt.kind === 'transport' ? 'transport' : attempt.status === 429 ? 'rate_limited' : 'server_error',
        );
        const backoff = settings.retryBackoffMs * 2 ** retry;
        await sleep(retryAfter ?? backoff / 2 + random() * (backoff / 2), signal);
      }
    }

    async function attemptOnce(endpoint: ModelEndpoint, requestBody: string, headers: Headers, strictSchemas?: ToolSchemas): Promise<Attempt> {
      const controller = new AbortController();
      const forward = () => controller.abort(signal?.reason);
      if (signal?.aborted) forward();
      signal?.addEventListener('abort', forward, { once: true });
      let timedOut: string | undefined;
      const limit = (ms: number, what: string, variable: string) =>
        setTimeout(() => {
          timedOut = `${describe(endpoint)}: ${what} within ${ms} ms (${variable})`;
          controller.abort(new Error(timedOut));
        }, ms);
      const timeout = (message: string): Attempt => ({ kind: 'timeout', response: errorResponse(504, message, 'model_timeout') });
      const overall = limit(settings.timeoutMs, 'no complete answer', 'LLM_TIMEOUT_MS');
      // Without streaming, the server sends its headers and body once the whole answer is written
      // (a slow local model may take minutes): only the overall limit can tell a stall from work.
      const streaming = body.stream === true;
      const firstToken = streaming ? limit(settings.firstTokenTimeoutMs, 'no first token', 'LLM_FIRST_TOKEN_TIMEOUT_MS') : undefined;
      const connect = streaming ? limit(settings.connectTimeoutMs, 'no response', 'LLM_CONNECT_TIMEOUT_MS') : undefined;
      const done = () => {
        clearTimeout(overall);
        clearTimeout(firstToken);
        clearTimeout(connect);
        signal?.removeEventListener('abort', forward);
      };

      let response: Response;
      try {
        response = await fetchImpl(`${endpoint.baseUrl}/chat/completions`, { ...init, headers, body: requestBody, signal: controller.signal });
      } catch (error) {
        done();
        if (timedOut) return timeout(timedOut);
        if (signal?.aborted) throw error;
        return { kind: 'transport', error };
      }
      clearTimeout(connect);
      if (!response.ok) {
        const text = await response.text().catch(() => '');
        done();
        if (timedOut) return timeout(timedOut);
        return { kind: 'error', status: response.status, body: text, response: new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers }) };
      }
      if (!response.body) {
        done();
        return { kind: 'response', response };
      }
      // Waits for the first bytes before answering, so that a stalled model is still a decision
      // taken here (an error response) rather than an error in the middle of the SDK's stream.
      const reader = response.body.getReader();
      let first: ReadableStreamReadResult<Uint8Array>;
      try {
        first = await reader.read();
      } catch (error) {
        done();
        if (timedOut) return timeout(timedOut);
        if (signal?.aborted) throw error;
        return { kind: 'transport', error };
      }
      clearTimeout(firstToken);
      if (first.done) done();
      const stream = new ReadableStream<Uint8Array>({
        start(stream) {
          if (first.done) stream.close();
          else stream.enqueue(first.value);
        },
        async pull(stream) {
          try {
            const next = await reader.read();
            if (next.done) {
              done();
              stream.close();
            } else stream.enqueue(next.value);
          } catch (error) {
            done();
            stream.error(timedOut ? new Error(timedOut) : error);
          }
        },
        cancel(reason) {
          done();
          return reader.cancel(reason);
        },
      });
      let answer = first.done ? null : streaming ? streamAssistantRole(streamRefusalsAsContent(stream)) : wholeAssistantRole(wholeRefusalAsContent(stream));
      if (answer && strictSchemas) answer = streaming ? streamStrictToolCalls(answer, strictSchemas) : wholeStrictToolCalls(answer, strictSchemas);
      return { kind: 'response', response: new Response(answer, { status: response.status, statusText: response.statusText, headers: response.headers }) };
    }
  };
}

type ToolSchemas = ReadonlyMap<string, Record<string, unknown>>;

/** Each tool's portable parameter schema by name: what strict mode's answers are cleaned by. */
function toolSchemas(body: ChatRequestBody): ToolSchemas {
  const tools = Array.isArray(body['tools']) ? (body['tools'] as Array<{ function?: { name?: unknown; parameters?: unknown } }>) : [];
  return new Map(tools.filter((tool) => typeof tool?.function?.name === 'string').map((tool) => [tool.function!.name as string, sanitiseToolSchema(tool.function!.parameters)]));
}

function describe(endpoint: ModelEndpoint): string {
  return `model "${endpoint.model}" at ${endpoint.baseUrl}`;
}

function errorResponse(status: number, message: string, code: string): Response {
  return new Response(JSON.stringify({ error: { message, type: 'aether_model_call', code, param: null } }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** OpenAI's `context_length_exceeded`, and the wording of servers that send no code (vLLM, llama.cpp, Ollama). */
function isContextOverflow(status: number, body: string): boolean {
  return (status === 400 || status === 413) && /context_length_exceeded|context length|context window|maximum context|prompt is too long|too many tokens/i.test(body);
}

/** `retry-after-ms` (OpenAI) or `Retry-After` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.has('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The messages cut to `budget` estimated tokens: leading system messages and the current turn (the
 * last user message and what follows it) stay; the oldest turns go first, never leaving a tool
 * result without its call. Undefined when nothing can be removed.
 */
export function trimToBudget(messages: readonly unknown[], budget: number): unknown[] | undefined {
  const role = (m: unknown) => (m as { role?: unknown } | null)?.role;
  const tokens = (list: readonly unknown[]) => list.reduce<number>((sum, m) => sum + Math.ceil(JSON.stringify(m).length / CHARS_PER_TOKEN), 0);
  let head = 0;
  while (head < messages.length && (role(messages[head]) === 'system' || role(messages[head]) === 'developer')) head++;
  let lastUser = messages.length - 1;
  while (lastUser > head && role(messages[lastUser]) !== 'user') lastUser--;
  const system = messages.slice(0, head);
  const current = messages.slice(lastUser);
  let middle = messages.slice(head, lastUser);
  if (middle.length === 0) return undefined;
  // The server's window may be smaller than the budget: each trim removes at least a quarter.
  const target = Math.min(budget, Math.floor(tokens(messages) * 0.75));
  while (middle.length > 0 && tokens([...system, ...middle, ...current]) > target) {
    middle = middle.slice(1);
    while (middle.length > 0 && role(middle[0]) === 'tool') middle = middle.slice(1);
  }
  return [...system, ...middle, ...current];
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
