import type { UsageEvent } from '@aether/core';
import { ModelUsageStore } from '@aether/persistence';
import { Injectable, Logger } from '@nestjs/common';
import { ChatMetrics } from '../chat/chat-metrics.service';

/** Whose usage it is: the caller, and the conversation (empty for a utility request, which has none). */
export interface UsageOwner {
  userId: string;
  conversationId: string;
}

/** One model call's provider usage: an agent's `usage` event, or the gateway's own utility call (agent `utility`). */
export type ModelCallUsage = Omit<UsageEvent, 'type' | 'agent'> & { agent: UsageEvent['agent'] | 'utility' };

/**
 * Records the provider's token usage of each model call an answer took (`usage` events from every
 * agent, in-process or remote): a row per call for `GET /api/v1/usage`, and the token counter.
 */
@Injectable()
export class ModelUsageLedger {
  private readonly logger = new Logger('ModelUsage');

  constructor(
    private readonly store: ModelUsageStore,
    private readonly metrics: ChatMetrics,
  ) {}

  /** Never throws: an answer the user got is not failed by the usage ledger being down. */
  async record(owner: UsageOwner, calls: readonly ModelCallUsage[]): Promise<void> {
    if (calls.length === 0) return;
    for (const call of calls) this.metrics.tokensUsed(call);
    try {
      await this.store.record(
        calls.map((call) => ({
          userId: owner.userId,
          conversationId: owner.conversationId,
          agent: call.agent,
          model: call.model,
          promptTokens: call.promptTokens,
          completionTokens: call.completionTokens,
          reasoningTokens: call.reasoningTokens,
          cachedTokens: call.cachedTokens,
        })),
      );
    } catch (error) {
      this.logger.error(`could not record the usage of ${calls.length} model call(s): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
