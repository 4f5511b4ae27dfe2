// The client side of a chat load, shared by the load e2e test and `npm run bench` (tools/bench/
// stack.bench.mjs imports this file as TypeScript: Node strips the types).
/** A mix of what a household asks: a live state, an analysis, the catalog, small talk. */
export const LOAD_QUESTIONS = [
  'What lights are on?',
  'Analyze my energy usage for the last 48 hours',
  'What devices do I have in the kitchen?',
  'Is the front door locked?',
  'Hello, what can you do?',
];

/** The earlier turns Open WebUI resends with every message of a conversation. */
const EARLIER_TURNS = [
  { role: 'user', content: 'What lights are on?' },
  { role: 'assistant', content: 'No lights are on right now.' },
];

export interface StreamedChat {
  question: string;
  ok: boolean;
  /** Why the chat did not end well (status, error chunk, missing [DONE], transport error). */
  problem?: string;
  content: string;
  finishReason?: string;
  ms: number;
}

/**
 * One streamed chat completion read to its end over raw SSE, so what the OpenAI SDK would hide is
 * checked: the status, every frame's JSON, an error chunk, and the closing `data: [DONE]`.
 */
export async function streamChat(
  gatewayUrl: string,
  apiKey: string,
  question: string,
  { withHistory = false, timeoutMs = 120_000 }: { withHistory?: boolean; timeoutMs?: number } = {},
): Promise<StreamedChat> {
  const started = performance.now();
  const result: StreamedChat = { question, ok: false, content: '', ms: 0 };
  try {
    const res = await fetch(`${gatewayUrl}/api/v1/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        model: 'aether-offline',
        stream: true,
        messages: [...(withHistory ? EARLIER_TURNS : []), { role: 'user', content: question }],
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await res.text();
    result.ms = performance.now() - started;
    if (res.status !== 200) return { ...result, problem: `HTTP ${res.status}: ${body.slice(0, 300)}` };
    const frames = body
      .split('\n\n')
      .map((frame) => frame.trim())
      .filter((frame) => frame.startsWith('data:'))
      .map((frame) => frame.slice('data:'.length).trim());
    if (frames.at(-1) !== '[DONE]') return { ...result, problem: `no closing data: [DONE] (last frame: ${frames.at(-1)?.slice(0, 200)})` };
    for (const frame of frames.slice(0, -1)) {
      const chunk = JSON.parse(frame) as {
        error?: { message?: string };
        choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
      };
      if (chunk.error) return { ...result, problem: `error chunk: ${chunk.error.message}` };
      result.content += chunk.choices?.[0]?.delta?.content ?? '';
      result.finishReason = chunk.choices?.[0]?.finish_reason ?? result.finishReason;
    }
    return { ...result, ok: true };
  } catch (error) {
    return { ...result, ms: performance.now() - started, problem: `transport: ${(error as Error).message}` };
  }
}
