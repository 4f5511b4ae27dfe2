import { startFakeOpenAiServer, type FakeOpenAiServer, type RecordedRequest, type ScriptedReply, type WithUsage } from '@aether/llm/testing';

/**
 * A remote "LLM" for the distributed stack: an OpenAI-compatible server on 127.0.0.1 scripted to
 * play the orchestrator's routing call, the architect's tool call, the DS analysts' script for a
 * question no built-in analysis covers, the DS team's synthesis in words, and a final answer streamed in
 * two halves with a gate in between — so a test can prove tokens reach the client before the model
 * has produced the rest — and able to hold a request in flight.
 */
/** The first half of the final answer: one sentence, no figures. */
export const FINAL_ANSWER_OPENING =
  'Here is your energy report, computed by the data science team from the history that your meters recorded in Home Assistant; the figures below are exactly what the team computed. ';

/** A question no built-in analysis covers: the DS analysts' model writes its script (`HOURLY_SCRIPT`). */
export const WARMEST_HOUR_QUESTION = 'At what time of day is it warmest outside?';

/** The script the "analyst model" writes for it: the outdoor temperature's mean by local hour of day, over the window it states. */
const HOURLY_SCRIPT = String.raw`
import json
import pandas as pd
meta = json.load(open('/input/meta.json'))
df = pd.read_csv('/input/statistics.csv')
df['hour'] = pd.to_datetime(df['start'], utc=True).dt.tz_convert(meta['window']['time_zone']).dt.hour
by_hour = df.groupby('hour')['mean'].mean()
hour, mean = int(by_hour.idxmax()), float(by_hour.max())
json.dump({
    'summary': [f"Outdoor temperature by hour of day over {len(df)} hours; warmest hour {hour:02d}:00 at {mean:.2f} °C"],
    'findings': [{
        'specialist': 'custom', 'type': 'insight',
        'title': f'Warmest outside around {hour:02d}:00',
        'description': f'The outdoor temperature averages {mean:.2f} °C in the hour from {hour:02d}:00, its highest of the day.',
        'confidence': 0.9, 'entities': ['sensor.outdoor_temperature'],
        'evidence': {'hour': hour, 'meanC': round(mean, 4), 'hours': int(len(df)), 'start': meta['window']['start'], 'end': meta['window']['end']},
    }],
}, open('/output/findings.json', 'w'))
`;

/** How the "team's model" begins its synthesis in words (it quotes the report's total after it). */
export const NARRATIVE_OPENING = 'Your home used';

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
    if (tools.length === 0 && String(messages[0]?.content).startsWith('You are the data scientist of Aether')) {
      const header = { title: 'outdoor temperature by hour of day', statistic_ids: ['sensor.outdoor_temperature'], period: 'hour' };
      return { text: `\`\`\`json\n${JSON.stringify(header)}\n\`\`\`\n\`\`\`python\n${HOURLY_SCRIPT}\`\`\``, ...usage };
    }
    if (tools.length === 0 && String(messages[0]?.content).startsWith("You are the lead of Aether's data science team")) {
      const total = /Total:\s*([\d.]+)\s*kWh/.exec(String(messages[1]?.content))?.[1] ?? 'no';
      return { text: `${NARRATIVE_OPENING} ${total} kWh over the window; start with the largest consumer.`, ...usage };
    }
    const question = String(messages.find((m) => m.role === 'user')?.content ?? '');
    if (tools.includes('consult_data_science_team') && messages[messages.length - 1].role !== 'tool' && question.includes(WARMEST_HOUR_QUESTION)) {
      return { toolCalls: [{ name: 'consult_data_science_team', args: { query: WARMEST_HOUR_QUESTION, specialists: ['custom'] } }], ...usage };
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
