import { startFakeOpenAiServer, type FakeOpenAiServer, type RecordedRequest, type ScriptedReply, type WithUsage } from '@aether/llm/testing';

/**
 * A remote "LLM" for the distributed stack: an OpenAI-compatible server on 127.0.0.1 scripted to
 * play the orchestrator's routing call, the architect's tool call, and a final answer streamed in
 * two halves with a gate in between — so a test can prove tokens reach the client before the model
 * has produced the rest — and able to hold a request in flight.
 */
/** The first half of the final answer: one sentence, no figures. */
export const FINAL_ANSWER_OPENING =
  'Here is your energy report, computed by the data science team from the history that your meters recorded in Home Assistant; the figures below are exactly what the team computed. ';

export class FakeLlmServer {
  private server?: FakeOpenAiServer;
  private releaseGate!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.releaseGate = resolve));
  private held: Array<{ arrived: () => void; released: Promise<void> }> = [];
  /** The next final answer restates the report's total wrongly and invents a cost, as a careless model would. */
  misquoteNext = false;
  /** When the last piece of a final answer was produced. */
  lastChunkProducedAt?: number;

  /** `usage`: what every reply reports as its usage (else the fake's default counts). */
  constructor(private readonly options: { usage?: WithUsage['usage'] } = {}) {}

  get requests(): RecordedRequest[] {
    return this.server?.requests ?? [];
  }

  /** Lets the final answer's second half be produced. */
  open(): void {
    this.releaseGate();
  }

  /**
   * Makes the next request wait until `release` is called; `arrived` resolves when that request
   * has reached the model (so the caller knows the request is in flight).
   */
  holdNextRequest(): { arrived: Promise<void>; release: () => void } {
    let release!: () => void;
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    this.held.push({ arrived, released: new Promise<void>((resolve) => (release = resolve)) });
    return { arrived: arrival, release };
  }

  async start(): Promise<string> {
    // Validating: every request the distributed stack sends must be one a strict server accepts.
    this.server = await startFakeOpenAiServer((request) => this.reply(request), { validate: true });
    return this.server.baseUrl;
  }

  async stop(): Promise<void> {
    this.releaseGate();
    await this.server?.close();
  }

  private async reply(request: RecordedRequest): Promise<ScriptedReply> {
    const hold = this.held.shift();
    if (hold) {
      hold.arrived();
      await hold.released;
    }
    const usage = this.options.usage ? { usage: this.options.usage } : {};
    const tools = (request.body.tools ?? []).map((t) => t.function.name);
    const messages = request.body.messages;
    if (tools.includes('route_to_agent')) {
      return { toolCalls: [{ name: 'route_to_agent', args: { agent: 'architect', confidence: 0.93, reason: 'energy analysis question' } }], ...usage };
    }
    if (tools.includes('consult_data_science_team') && messages[messages.length - 1].role !== 'tool') {
      return { toolCalls: [{ name: 'consult_data_science_team', args: { query: 'Analyze my energy usage', hours: 24 } }], ...usage };
    }
    const toolResult = [...messages].reverse().find((m) => m.role === 'tool')?.content;
    const report = typeof toolResult === 'string' ? toolResult : '';
    if (this.misquoteNext) {
      this.misquoteNext = false;
      return { text: misquote(report), ...usage };
    }
    return { pieces: this.finalAnswer(report), ...usage };
  }

  private async *finalAnswer(report: string): AsyncGenerator<string> {
    // Longer than the preamble the Architect holds back (PREAMBLE_HOLD_CHARS) until it knows no
    // tool call follows, so that this half reaches the client while the rest is held.
    yield* FINAL_ANSWER_OPENING.match(/\S+\s*/g) ?? [];
    await this.gate;
    yield '\n\n';
    yield report;
    this.lastChunkProducedAt = performance.timeOrigin + performance.now();
  }
}

/** A wrong total (off by 0.111 kWh: no rounding of any figure) and a cost the report never gives. */
export function misquote(report: string): string {
  const total = /Total:\s*([\d.]+)\s*kWh/.exec(report);
  const wrong = (Number(total?.[1] ?? 0) + 0.111).toFixed(3);
  return `${MISQUOTE_OPENING} ${wrong} kWh, which cost you about €4.73.`;
}
export const MISQUOTE_OPENING = 'Your energy report is in.';
