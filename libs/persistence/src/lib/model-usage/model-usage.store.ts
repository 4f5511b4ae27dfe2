/** One model call's usage, as recorded. */
export interface ModelUsageRecord {
  userId: string;
  conversationId: string;
  agent: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  cachedTokens: number;
}

export type ModelUsageGrouping = 'day' | 'model' | 'agent';

/** Token totals of one group (a UTC day, a model or an agent). */
export interface ModelUsageTotals {
  /** The day (`YYYY-MM-DD`, UTC), model or agent. */
  key: string;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  cachedTokens: number;
  /** Per model, within the group: what a price table needs (prices are per model). */
  byModel: Array<Omit<ModelUsageTotals, 'byModel'>>;
}

export interface ModelUsageQuery {
  userId: string;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  groupBy: ModelUsageGrouping;
}

/** Token usage of model calls, kept by the gateway; implemented over TypeORM. */
export abstract class ModelUsageStore {
  /** The calls of one answer, in one write. */
  abstract record(usages: readonly ModelUsageRecord[]): Promise<void>;
  /** One caller's totals in [from, to), per group, ordered by group key. */
  abstract totals(query: ModelUsageQuery): Promise<ModelUsageTotals[]>;
}
