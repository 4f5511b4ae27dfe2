/**
 * OpenAI models that decline send the text in `refusal`, not `content`, and LangChain's chat
 * completions converter drops that field: the user got an empty answer instead of the refusal.
 * These rewrite a refusal into content, streamed or not, so it is shown as what it is.
 * Hand-written: it is a field rename inside SSE events, for which no library exists.
 */

import { rewriteWholeLines } from './sse-lines';
import { rewriteWholeBody } from './whole-body';

const PATTERN = Buffer.from('"refusal":"');

/**
 * The SSE body with every `delta.refusal` moved into `delta.content`. It passes whole lines through
 * as bytes and decodes only the rare line that carries a refusal.
 */
export function streamRefusalsAsContent(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return rewriteWholeLines(body, (lines) => (lines.includes(PATTERN) ? encoder.encode(rewriteLines(lines.toString('utf8'))) : lines));
}

/** A whole (not streamed) chat completion body with `message.refusal` moved into `message.content`. */
export function wholeRefusalAsContent(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  return rewriteWholeBody(body, (bytes) => (bytes.includes(PATTERN) ? refusalAsContent(bytes.toString('utf8')) : bytes));
}

/** A whole chat completion's JSON with `message.refusal` moved into `message.content`. */
export function refusalAsContent(json: string): string {
  if (!json.includes('"refusal":"')) return json;
  try {
    const body = JSON.parse(json) as { choices?: Array<{ message?: { content?: unknown; refusal?: unknown } }> };
    for (const choice of body.choices ?? []) moveRefusal(choice.message);
    return JSON.stringify(body);
  } catch {
    return json;
  }
}

function rewriteLines(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (!line.startsWith('data:') || !line.includes('"refusal":"')) return line;
      try {
        const event = JSON.parse(line.slice(5)) as { choices?: Array<{ delta?: { content?: unknown; refusal?: unknown } }> };
        for (const choice of event.choices ?? []) moveRefusal(choice.delta);
        return `data: ${JSON.stringify(event)}`;
      } catch {
        return line;
      }
    })
    .join('\n');
}

function moveRefusal(message: { content?: unknown; refusal?: unknown } | undefined): void {
  if (!message || typeof message.refusal !== 'string' || !message.refusal) return;
  message.content = `${typeof message.content === 'string' ? message.content : ''}${message.refusal}`;
  message.refusal = null;
}
