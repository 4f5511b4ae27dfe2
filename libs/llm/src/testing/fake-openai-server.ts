import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the fake model answers: a text (streamed one word per chunk), text pieces produced over time
 * (each piece is written as soon as the iterable yields it, so a test can hold the rest back), or
 * tool calls.
 */
export type ScriptedReply =
  | ({ text: string } & WithUsage)
  | ({ pieces: AsyncIterable<string> } & WithUsage)
  /** Tool calls; `preamble` is text streamed before them, as models that think aloud write it. */
  | ({ toolCalls: Array<{ name: string; args: Record<string, unknown> }>; preamble?: string } & WithUsage)
  /**
   * Streamed deltas exactly as given, then `finish` (default "stop"): the provider variants real
   * servers send (reasoning fields, `<think>`, split or parallel tool-call deltas, refusals), under
   * `id` when a server reuses completion ids (Ollama draws them from a small range).
   */
  | ({ deltas: Array<Record<string, unknown>>; finish?: string; id?: string } & WithUsage)
  /** An HTTP error as providers send it: 429 (with or without `retry-after`), 5xx, 400 `context_length_exceeded`… */
  | { status: number; error: { message: string; type?: string; code?: string }; headers?: Record<string, string> }
  /** Headers are sent, then nothing: a model that never produces its first token (until the client gives up). */
  | { stall: true }
  /** Nothing at all (not even headers) for `ms`, then `reply`: a server writing a whole answer before it sends it. */
  | { after: number; reply: ScriptedReply };

/**
 * The `usage` the reply reports, as OpenAI sends it (with `prompt_tokens_details.cached_tokens` and
 * `completion_tokens_details.reasoning_tokens`); without it, 11 prompt tokens and a count of the reply.
 */
export interface WithUsage {
  usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens: number; reasoning_tokens: number };
}

/** A provider error body, as OpenAI-compatible servers send it. */
export const providerError = (
  status: number,
  message: string,
  extra: { type?: string; code?: string; headers?: Record<string, string> } = {},
): ScriptedReply => ({ status, error: { message, type: extra.type ?? 'api_error', ...(extra.code ? { code: extra.code } : {}) }, headers: extra.headers });

export interface RecordedRequest {
  headers: IncomingHttpHeaders;
  /** Why a validating server answered 400 (see `compatibilityViolations`); absent when accepted. */
  rejected?: string;
  body: {
    model: string;
    stream?: boolean;
    stream_options?: { include_usage?: boolean };
    temperature?: number;
    tool_choice?: unknown;
    messages: Array<{ role: string; content: unknown; tool_call_id?: string; tool_calls?: unknown[] }>;
    tools?: Array<{ type: string; function: { name: string } }>;
  };
}

export interface FakeOpenAiServerOptions {
  /**
   * Answers 400 (OpenAI error envelope) to any request a strict OpenAI-compatible server would
   * refuse (see `compatibilityViolations`) instead of calling `reply`.
   */
  validate?: boolean;
  /**
   * Sends the answer without its `role` (no `role` on any streamed delta, none on a whole answer's
   * message), as some OpenAI-compatible servers do.
   */
  omitRole?: boolean;
}

/** Every tool-schema keyword Gemini's OpenAI endpoint rejects that zod's JSON schema emits. */
const REJECTED_SCHEMA_KEYWORDS = ['$schema', 'additionalProperties'];

/**
 * What strict OpenAI-compatible servers refuse in a request, one sentence each: `$schema` or
 * `additionalProperties` anywhere in a tool's parameters (Gemini), system content as parts, a
 * system message that is not the first or more than one (Mistral/Gemma chat templates),
 * `temperature`/`top_p` for a reasoning model (o1, o3, o4…, gpt-5 but gpt-5-chat,
 * deepseek-reasoner / -r1), `max_tokens` for an OpenAI reasoning model.
 */
export function compatibilityViolations(body: unknown): string[] {
  const violations: string[] = [];
  const request = (body ?? {}) as { model?: unknown; messages?: unknown; tools?: unknown; [key: string]: unknown };
  const model = String(request.model ?? '').slice(String(request.model ?? '').lastIndexOf('/') + 1).toLowerCase();
  const openAiReasoning = /^o[134](-|$)/.test(model) || (/^gpt-5(\.\d+)?(-|$)/.test(model) && !/^gpt-5(\.\d+)?-chat/.test(model));
  const reasoning = openAiReasoning || /^deepseek-(reasoner|r1)/.test(model);

  const findKeywords = (node: unknown, path: string): void => {
    if (Array.isArray(node)) node.forEach((item, index) => findKeywords(item, `${path}[${index}]`));
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (REJECTED_SCHEMA_KEYWORDS.includes(key)) violations.push(`${path}.${key} is not supported`);
        findKeywords(value, `${path}.${key}`);
      }
    }
  };
  if (Array.isArray(request.tools)) request.tools.forEach((tool, index) => findKeywords((tool as { function?: { parameters?: unknown } })?.function?.parameters, `tools[${index}].function.parameters`));

  const messages = Array.isArray(request.messages) ? (request.messages as Array<{ role?: unknown; content?: unknown }>) : [];
  const system = messages.map((message, index) => ({ message, index })).filter(({ message }) => message?.role === 'system' || message?.role === 'developer');
  if (system.length > 1) violations.push(`${system.length} system messages; only one is supported`);
  for (const { message, index } of system) {
    if (index !== 0) violations.push(`messages[${index}]: a system message must be the first message`);
    if (typeof message.content !== 'string') violations.push(`messages[${index}].content: system content must be a string`);
  }
  if (reasoning) for (const key of ['temperature', 'top_p']) if (key in request) violations.push(`'${key}' is not supported with model ${String(request.model)}`);
  if (openAiReasoning && 'max_tokens' in request) violations.push(`'max_tokens' is not supported with model ${String(request.model)}; use 'max_completion_tokens'`);
  return violations;
}

export interface FakeOpenAiServer {
  /** Base URL including `/v1`, as clients are configured. */
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A minimal OpenAI-compatible `POST /v1/chat/completions` on 127.0.0.1 (random port): streams
 * `chat.completion.chunk` SSE events (`data: {...}` … `data: [DONE]`) the way OpenAI does — role
 * chunk, content chunks, tool calls split into header and arguments, finish chunk, usage chunk
 * when asked for — with a fresh completion id per response. `reply` scripts each answer; it may be
 * async (to hold a request in flight). With `validate`, requests a strict server would refuse get a 400.
 */
export async function startFakeOpenAiServer(
  reply: (request: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>,
  options: FakeOpenAiServerOptions = {},
): Promise<FakeOpenAiServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (part: string) => (raw += part));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } }));
        return;
      }
      const request: RecordedRequest = { headers: req.headers, body: JSON.parse(raw) };
      requests.push(request);
      const violations = options.validate ? compatibilityViolations(request.body) : [];
      if (violations.length > 0) {
        request.rejected = violations.join('; ');
        void respond(request, options, { status: 400, error: { message: request.rejected, type: 'invalid_request_error', code: 'invalid_request' } }, res);
        return;
      }
      void Promise.resolve(reply(request)).then((scripted) => respond(request, options, scripted, res));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function respond(request: RecordedRequest, options: FakeOpenAiServerOptions, scripted: ScriptedReply, res: ServerResponse): Promise<void> {
  if ('after' in scripted) {
    await new Promise((resolve) => setTimeout(resolve, scripted.after));
    if (res.destroyed) return;
    return respond(request, options, scripted.reply, res);
  }
  if ('status' in scripted) {
    res.writeHead(scripted.status, { 'content-type': 'application/json', ...scripted.headers });
    res.end(JSON.stringify({ error: { param: null, code: null, ...scripted.error } }));
    return;
  }
  if ('stall' in scripted) {
    // Held open until the client aborts or the server closes.
    res.writeHead(200, { 'content-type': request.body.stream ? 'text/event-stream' : 'application/json' });
    res.flushHeaders();
    return;
  }
  const id = 'deltas' in scripted && scripted.id ? scripted.id : `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const model = request.body.model;
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const pieces = 'text' in scripted ? words(scripted.text) : 'pieces' in scripted ? scripted.pieces : undefined;
  const toolCalls = 'toolCalls' in scripted ? scripted.toolCalls.map((call) => ({ ...call, id: `call_${randomUUID().replace(/-/g, '')}` })) : [];
  let completionTokens = toolCalls.length * 5;
  const scriptedUsage = scripted.usage;
  const usage = () =>
    scriptedUsage
      ? {
          prompt_tokens: scriptedUsage.prompt_tokens,
          completion_tokens: scriptedUsage.completion_tokens,
          total_tokens: scriptedUsage.prompt_tokens + scriptedUsage.completion_tokens,
          prompt_tokens_details: { cached_tokens: scriptedUsage.cached_tokens },
          completion_tokens_details: { reasoning_tokens: scriptedUsage.reasoning_tokens },
        }
      : { prompt_tokens: 11, completion_tokens: completionTokens, total_tokens: 11 + completionTokens };

  if (!request.body.stream) {
    let text = '';
    if (pieces) for await (const piece of pieces) text += piece;
    completionTokens += text.split(/\s+/).filter(Boolean).length;
    const role = options.omitRole ? {} : { role: 'assistant' };
    const message = pieces
      ? { ...role, content: text }
      : {
          ...role,
          content: null,
          tool_calls: toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } })),
        };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id, object: 'chat.completion', created, model, choices: [{ index: 0, message, finish_reason: pieces ? 'stop' : 'tool_calls' }], usage: usage() }));
    return;
  }

  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (event: object) => res.write(`data: ${JSON.stringify(event)}\n\n`);
  send(chunk(options.omitRole ? { content: '' } : { role: 'assistant', content: '' }));
  if ('deltas' in scripted) {
    for (const delta of scripted.deltas) send(chunk(delta));
    send(chunk({}, scripted.finish ?? 'stop'));
  } else if (pieces) {
    for await (const piece of pieces) {
      send(chunk({ content: piece }));
      completionTokens++;
    }
    send(chunk({}, 'stop'));
  } else {
    if ('preamble' in scripted && scripted.preamble) for await (const piece of words(scripted.preamble)) send(chunk({ content: piece }));
    toolCalls.forEach((call, index) => {
      send(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
      send(chunk({ tool_calls: [{ index, function: { arguments: JSON.stringify(call.args) } }] }));
    });
    send(chunk({}, 'tool_calls'));
  }
  if (request.body.stream_options?.include_usage) send({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: usage() });
  res.end('data: [DONE]\n\n');
}

async function* words(text: string): AsyncGenerator<string> {
  yield* text.match(/\s*\S+/g) ?? [];
}
