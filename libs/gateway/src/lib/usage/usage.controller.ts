import { AETHER_CONFIG, type AetherConfig, type ModelPrice } from '@aether/config';
import { ModelUsageStore, type ModelUsageTotals } from '@aether/persistence';
import { Controller, Get, Inject, Logger, Query, UseGuards } from '@nestjs/common';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { Caller, type CallerIdentity } from '../auth/caller-identity';
import { OpenAiApiException } from '../errors/openai-error';
import { GATEWAY_ROUTE_PREFIXES } from '../gateway-routes';
import { costUsd, priceOf } from './usage-cost';
import { parseUsageQuery } from './usage-query.schema';

/** Token totals in the OpenAI usage field names. */
export interface UsageTotalsObject {
  calls: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** Part of `completion_tokens`. */
  reasoning_tokens: number;
  /** Part of `prompt_tokens`. */
  cached_tokens: number;
  /**
   * With `LLM_PRICES` only: USD at those prices; null when a model of these calls has no price
   * (a partial sum would pass for the whole cost).
   */
  cost_usd?: number | null;
}

export interface UsageGroupObject extends UsageTotalsObject {
  /** The UTC day (`YYYY-MM-DD`), the model or the agent. */
  group: string;
  /** The same totals per model within the group. */
  models: Array<UsageTotalsObject & { model: string }>;
}

export interface UsageObject {
  object: 'usage';
  from: string;
  to: string;
  group_by: 'day' | 'model' | 'agent';
  data: UsageGroupObject[];
  total: UsageTotalsObject;
}

const logger = new Logger('ModelUsage');

/**
 * `GET /api/v1/usage?from=&to=&group_by=day|model|agent`: the provider-reported tokens of the
 * caller's model calls in [from, to), per group. Scoped to the caller's key like its conversations.
 */
@Controller(GATEWAY_ROUTE_PREFIXES)
@UseGuards(ApiKeyGuard)
export class UsageController {
  private readonly prices?: Record<string, ModelPrice>;

  constructor(
    private readonly store: ModelUsageStore,
    @Inject(AETHER_CONFIG) config: AetherConfig,
  ) {
    this.prices = config.llm.prices;
  }

  @Get('usage')
  async usage(@Query() query: Record<string, unknown>, @Caller() caller: CallerIdentity): Promise<UsageObject> {
    const { from, to, groupBy } = parseUsageQuery(query);
    let groups: ModelUsageTotals[];
    try {
      groups = await this.store.totals({ userId: caller.userId, from, to, groupBy });
    } catch (error) {
      logger.error(`usage store failed: ${error instanceof Error ? error.message : String(error)}`, error instanceof Error ? error.stack : undefined);
      throw new OpenAiApiException(503, {
        message: 'Usage records are unavailable right now (their database did not answer). Please retry shortly.',
        type: 'server_error',
        code: 'usage_store_unavailable',
      });
    }
    const data = groups.map((group) => {
      const models = group.byModel.map((part) => ({ model: part.key, ...totalsObject(part), ...this.cost([part]) }));
      return { group: group.key, ...totalsObject(group), ...this.cost(group.byModel), models };
    });
    const total = {
      ...totalsObject({
        calls: sum(groups, (g) => g.calls),
        promptTokens: sum(groups, (g) => g.promptTokens),
        completionTokens: sum(groups, (g) => g.completionTokens),
        reasoningTokens: sum(groups, (g) => g.reasoningTokens),
        cachedTokens: sum(groups, (g) => g.cachedTokens),
      }),
      ...this.cost(groups.flatMap((g) => g.byModel)),
    };
    return { object: 'usage', from: from.toISOString(), to: to.toISOString(), group_by: groupBy, data, total };
  }

  /** `cost_usd` of these per-model totals, when a price table is configured. */
  private cost(parts: ReadonlyArray<Omit<ModelUsageTotals, 'byModel'>>): { cost_usd?: number | null } {
    const prices = this.prices;
    if (!prices) return {};
    let micro = 0;
    for (const part of parts) {
      const price = priceOf(part.key, prices);
      if (!price) return { cost_usd: null };
      micro += Math.round(costUsd(part, price) * 1_000_000);
    }
    return { cost_usd: micro / 1_000_000 };
  }
}

type Totals = Pick<ModelUsageTotals, 'calls' | 'promptTokens' | 'completionTokens' | 'reasoningTokens' | 'cachedTokens'>;

function totalsObject(totals: Totals): UsageTotalsObject {
  return {
    calls: totals.calls,
    prompt_tokens: totals.promptTokens,
    completion_tokens: totals.completionTokens,
    total_tokens: totals.promptTokens + totals.completionTokens,
    reasoning_tokens: totals.reasoningTokens,
    cached_tokens: totals.cachedTokens,
  };
}

function sum(groups: readonly ModelUsageTotals[], pick: (group: ModelUsageTotals) => number): number {
  return groups.reduce((total, group) => total + pick(group), 0);
}
