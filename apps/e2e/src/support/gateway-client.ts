import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pgliteTemplatePath } from '@aether/persistence/testing';
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';

export const API_KEY = 'e2e-test-key';
export const ENERGY_QUESTION = 'Analyze my energy usage';

/**
 * Environment that pins every embedded default regardless of the developer's shell (or CI's
 * DATABASE_URL): the demo home, the offline model, and embedded PGlite in a data directory of its
 * own, so stacks started by concurrent test files never share a database. Call it once per stack;
 * a process restarted with the same environment finds its data again.
 */
export function embeddedDefaultsEnv(): Record<string, string> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aether-e2e-'));
  E2E_DATA_DIRS.push(dataDir);
  // The shared empty-database template (support/e2e.setup.ts makes it): each PGlite the stack
  // creates unpacks it instead of running initdb, seconds of CPU per process.
  const template = pgliteTemplatePath(tmpdir());
  if (existsSync(template)) copyFileSync(template, pgliteTemplatePath(dataDir));
  return { ...EMBEDDED_DEFAULTS, AETHER_DATA_DIR: dataDir };
}

/** Data directories made by this test file, removed after its tests (support/e2e.setup.ts). */
export const E2E_DATA_DIRS: string[] = [];

const EMBEDDED_DEFAULTS = {
  NODE_ENV: 'test',
  DATABASE_URL: '',
  DATABASE_SCHEMA: '',
  HA_URL: '',
  HA_TOKEN: '',
  LLM_BASE_URL: '',
  LLM_API_KEY: '',
  LLM_MODEL: '',
  AETHER_API_KEYS: API_KEY,
  // One key drives every request of a load run: per-key limits (default 600/min, 32 at once) off.
  AETHER_RATE_LIMIT_PER_MINUTE: '0',
  AETHER_MAX_CONCURRENT_REQUESTS: '0',
  LOG_LEVEL: 'warn',
};

export function openaiClient(gatewayUrl: string): OpenAI {
  return new OpenAI({ baseURL: `${gatewayUrl}/api/v1`, apiKey: API_KEY, maxRetries: 0, timeout: 60_000 });
}

export interface CollectedStream {
  content: string;
  contentChunks: number;
  reasoning: string;
  events: Array<Record<string, unknown> & { type: string; agent: string }>;
  finishReason?: string | null;
}

/** Consumes a chat completion stream with the official SDK, keeping Aether's opt-in events. */
export async function collectStream(stream: AsyncIterable<ChatCompletionChunk>): Promise<CollectedStream> {
  const out: CollectedStream = { content: '', contentChunks: 0, reasoning: '', events: [] };
  for await (const chunk of stream) {
    const event = (chunk as ChatCompletionChunk & { aether_event?: CollectedStream['events'][number] }).aether_event;
    if (event) out.events.push(event);
    const choice = chunk.choices[0];
    if (!choice) continue;
    const delta = choice.delta as ChatCompletionChunk.Choice.Delta & { reasoning_content?: string };
    if (delta.content) {
      out.content += delta.content;
      out.contentChunks += 1;
    }
    if (delta.reasoning_content) out.reasoning += delta.reasoning_content;
    if (choice.finish_reason) out.finishReason = choice.finish_reason;
  }
  return out;
}

/** Agents in the order they first appear in an event trail. */
export function agentTrail(events: CollectedStream['events']): string[] {
  const seen: string[] = [];
  for (const event of events) if (!seen.includes(event.agent)) seen.push(event.agent);
  return seen;
}

/** Sum of `http_requests_total` samples for POST requests in a Prometheus scrape. */
export async function postRequestCount(serviceUrl: string): Promise<number> {
  const text = await (await fetch(`${serviceUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('http_requests_total{') && line.includes('method="POST"')) total += Number(line.split(' ').pop());
  }
  return total;
}
