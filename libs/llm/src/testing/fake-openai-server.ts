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
  | ({ toolCalls: Array<{ name: string; args: Record<string, unknown> }> } & WithUsage)
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
 * async (to hold a request in flight).
 */
export async function startFakeOpenAiServer(
  reply: (request: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>,
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
      void Promise.resolve(reply(request)).then((scripted) => respond(request, scripted, res));
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

async function respond(request: RecordedRequest, scripted: ScriptedReply, res: ServerResponse): Promise<void> {
  if ('after' in scripted) {
    await new Promise((resolve) => setTimeout(resolve, scripted.after));
    if (res.destroyed) return;
    return respond(request, scripted.reply, res);
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
  const id = `chatcmpl-${randomUUID()}`;
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
    const message = pieces
      ? { role: 'assistant', content: text }
      : {
          role: 'assistant',
          content: null,
          tool_calls: toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } })),
        };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id, object: 'chat.completion', created, model, choices: [{ index: 0, message, finish_reason: pieces ? 'stop' : 'tool_calls' }], usage: usage() }));
    return;
  }

  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (event: object) => res.write(`data: ${JSON.stringify(event)}\n\n`);
  send(chunk({ role: 'assistant', content: '' }));
  if (pieces) {
    for await (const piece of pieces) {
      send(chunk({ content: piece }));
      completionTokens++;
    }
    send(chunk({}, 'stop'));
  } else {
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
