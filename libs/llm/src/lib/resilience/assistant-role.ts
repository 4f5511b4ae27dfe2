/**
 * Some OpenAI-compatible servers leave out the `role` of an answer (streamed deltas with no `role`
 * at all, or `"role": ""`). LangChain then builds a generic chat message instead of an AI message,
 * and the agents' middleware fails the whole turn ("expected AIMessage … got object"). An answer
 * from `/chat/completions` is always the assistant's, so these put the role in where it is missing.
 * Hand-written: it is one field inside SSE events, for which no library exists.
 */

import { rewriteWholeLines } from './sse-lines';
import { rewriteWholeBody } from './whole-body';

const EMPTY_ROLE = Buffer.from('"role":""');

/**
 * The SSE body with `role: "assistant"` on the first delta when the server gave none (LangChain
 * carries the first role to later deltas) and on any delta whose role is empty. Lines pass through
 * as bytes once the first delta has been seen; only lines that need it are decoded.
 */
export function streamAssistantRole(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  let firstDeltaSeen = false;
  const encoder = new TextEncoder();
  const rewrite = (lines: Buffer): Uint8Array => {
    if (firstDeltaSeen && !lines.includes(EMPTY_ROLE)) return lines;
    return encoder.encode(
      lines
        .toString('utf8')
        .split('\n')
        .map((line) => {
          if (!line.startsWith('data:') || (firstDeltaSeen && !line.includes('"role":""'))) return line;
          const event = parseEvent(line.slice(5));
          const deltas = (event?.choices ?? []).map((choice) => choice?.delta).filter(isObject);
          if (deltas.length === 0) return line;
          const needed = deltas.filter((delta) => (firstDeltaSeen ? delta['role'] === '' : typeof delta['role'] !== 'string' || delta['role'] === ''));
          firstDeltaSeen = true;
          if (needed.length === 0) return line;
          for (const delta of needed) delta['role'] = 'assistant';
          return `data: ${JSON.stringify(event)}`;
        })
        .join('\n'),
    );
  };
  return rewriteWholeLines(body, rewrite);
}

/** A whole (not streamed) chat completion with `role: "assistant"` on every message that lacks one. */
export function wholeAssistantRole(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  return rewriteWholeBody(body, (bytes) => {
    if (bytes.includes('"role":"assistant"') && !bytes.includes(EMPTY_ROLE)) return bytes;
    const completion = parseEvent(bytes.toString('utf8'));
    const messages = (completion?.choices ?? []).map((choice) => choice?.message).filter(isObject);
    const needed = messages.filter((message) => typeof message['role'] !== 'string' || message['role'] === '');
    if (needed.length === 0) return bytes;
    for (const message of needed) message['role'] = 'assistant';
    return JSON.stringify(completion);
  });
}

type Choice = { delta?: unknown; message?: unknown } | null;

function parseEvent(json: string): { choices?: Choice[] } | undefined {
  try {
    const value = JSON.parse(json) as unknown;
    return isObject(value) && Array.isArray(value['choices']) ? (value as { choices: Choice[] }) : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
