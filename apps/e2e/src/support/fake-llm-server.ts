import { startFakeOpenAiServer, type FakeOpenAiServer, type RecordedRequest, type ScriptedReply, type WithUsage } from '@aether/llm/testing';

/**
 * A remote "LLM" for the distributed stack: an OpenAI-compatible server on 127.0.0.1 scripted to
 * play the orchestrator's routing call, the architect's tool call, and a final answer streamed in
 * two halves with a gate in between — so a test can prove tokens reach the client before the model
 * has produced the rest — and able to hold a request in flight.
 */
export class FakeLlmServer {
  private server?: FakeOpenAiServer;
  private releaseGate!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.releaseGate = resolve));
  private held: Array<{ arrived: () => void; released: Promise<void> }> = [];
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
    this.server = await startFakeOpenAiServer((request) => this.reply(request));
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
    return { pieces: this.finalAnswer(typeof toolResult === 'string' ? toolResult : ''), ...usage };
  }

  private async *finalAnswer(report: string): AsyncGenerator<string> {
    yield* ['Here ', 'is ', 'your ', 'energy ', 'report. '];
    await this.gate;
    yield '\n\n';
    yield report;
    this.lastChunkProducedAt = performance.timeOrigin + performance.now();
  }
}
