import type { AgentName, UsageEvent } from '@aether/core';
import { MetricsRegistry } from '@aether/observability';
import { Injectable, Optional } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';

/** How a chat completion ended: `ok`, `client_disconnected`, or the OpenAI error code it failed with. */
export type ChatOutcome = 'ok' | 'client_disconnected' | string;

/** Seconds; answers pass through up to four agent hops and model calls before the first token. */
const FIRST_TOKEN_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120];

/**
 * Gateway-specific Prometheus metrics, registered only when the app has a `MetricsRegistry`
 * (`MetricsModule`); without one they are no-ops.
 */
@Injectable()
export class ChatMetrics {
  private readonly completions?: Counter<'agent' | 'stream' | 'outcome'>;
  private readonly firstToken?: Histogram<'agent'>;
  private readonly utility?: Counter<'kind' | 'outcome'>;
  private readonly tokens?: Counter<'agent' | 'model' | 'kind'>;

  constructor(@Optional() registry?: MetricsRegistry) {
    this.completions = registry?.counter(
      'aether_chat_completions_total',
      'Chat completions served by the gateway, by first agent called, stream mode and outcome',
      ['agent', 'stream', 'outcome'],
    );
    this.firstToken = registry?.histogram(
      'aether_chat_first_token_seconds',
      'Time from a chat request to its first answer token, by first agent called',
      ['agent'],
      FIRST_TOKEN_BUCKETS,
    );
    // Apart from the agents' counts: a chat front end sends several of these per chat turn.
    this.utility = registry?.counter(
      'aether_utility_completions_total',
      'Client utility requests (titles, tags, follow-ups, …) answered by one direct model call, by kind and outcome',
      ['kind', 'outcome'],
    );
    this.tokens = registry?.counter(
      'aether_llm_tokens_total',
      "Tokens of the agents' model calls as the providers reported them, by agent, model and kind (prompt, completion, reasoning ⊂ completion, cached ⊂ prompt)",
      ['agent', 'model', 'kind'],
    );
  }

  tokensUsed(call: Pick<UsageEvent, 'model' | 'promptTokens' | 'completionTokens' | 'reasoningTokens' | 'cachedTokens'> & { agent: string }): void {
    const labels = { agent: call.agent, model: call.model };
    this.tokens?.inc({ ...labels, kind: 'prompt' }, call.promptTokens);
    this.tokens?.inc({ ...labels, kind: 'completion' }, call.completionTokens);
    this.tokens?.inc({ ...labels, kind: 'reasoning' }, call.reasoningTokens);
    this.tokens?.inc({ ...labels, kind: 'cached' }, call.cachedTokens);
  }

  utilityCompleted(kind: string, outcome: ChatOutcome): void {
    this.utility?.inc({ kind, outcome });
  }

  completed(agent: AgentName, stream: boolean, outcome: ChatOutcome): void {
    this.completions?.inc({ agent, stream: String(stream), outcome });
  }

  firstTokenAfter(agent: AgentName, seconds: number): void {
    this.firstToken?.observe({ agent }, seconds);
  }
}
