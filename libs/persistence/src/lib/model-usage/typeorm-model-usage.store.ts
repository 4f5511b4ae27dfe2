import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ModelUsageStore, type ModelUsageGrouping, type ModelUsageQuery, type ModelUsageRecord, type ModelUsageTotals } from './model-usage.store';

/** SQL for each grouping's key; a fixed table, never the caller's text. */
const GROUP_KEY: Record<ModelUsageGrouping, string> = {
  day: `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
  model: 'model',
  agent: 'agent',
};

interface TotalsRow {
  group_key: string;
  model: string;
  calls: number | string | bigint;
  prompt_tokens: number | string | bigint;
  completion_tokens: number | string | bigint;
  reasoning_tokens: number | string | bigint;
  cached_tokens: number | string | bigint;
}

/** `ModelUsageStore` over TypeORM. */
@Injectable()
export class TypeOrmModelUsageStore extends ModelUsageStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async record(usages: readonly ModelUsageRecord[]): Promise<void> {
    if (usages.length === 0) return;
    // One multi-row INSERT for all the calls of an answer: one round trip, however many calls.
    const values: unknown[] = [];
    const rows = usages.map((usage) => {
      const at = values.length;
      values.push(randomUUID(), usage.userId, usage.conversationId, usage.agent, usage.model, usage.promptTokens, usage.completionTokens, usage.reasoningTokens, usage.cachedTokens);
      return `(${Array.from({ length: 9 }, (_, i) => `$${at + i + 1}`).join(', ')}, now())`;
    });
    await this.dataSource.query(
      `INSERT INTO model_usage (id, user_id, conversation_id, agent, model, prompt_tokens, completion_tokens, reasoning_tokens, cached_tokens, created_at)
       VALUES ${rows.join(', ')}`,
      values,
    );
  }

  async totals(query: ModelUsageQuery): Promise<ModelUsageTotals[]> {
    // Sums are bigint (text on node-postgres), read back as numbers: token counts stay far below 2^53.
    const rows: TotalsRow[] = await this.dataSource.query(
      `SELECT ${GROUP_KEY[query.groupBy]} AS group_key, model, count(*)::bigint AS calls,
              sum(prompt_tokens)::bigint AS prompt_tokens, sum(completion_tokens)::bigint AS completion_tokens,
              sum(reasoning_tokens)::bigint AS reasoning_tokens, sum(cached_tokens)::bigint AS cached_tokens
         FROM model_usage
        WHERE user_id = $1 AND created_at >= $2 AND created_at < $3
        GROUP BY 1, 2
        ORDER BY 1, 2`,
      [query.userId, query.from.toISOString(), query.to.toISOString()],
    );
    const groups = new Map<string, ModelUsageTotals>();
    for (const row of rows) {
      const part = {
        key: row.model,
        calls: Number(row.calls),
        promptTokens: Number(row.prompt_tokens),
        completionTokens: Number(row.completion_tokens),
        reasoningTokens: Number(row.reasoning_tokens),
        cachedTokens: Number(row.cached_tokens),
      };
      let group = groups.get(row.group_key);
      if (!group) {
        group = { key: row.group_key, calls: 0, promptTokens: 0, completionTokens: 0, reasoningTokens: 0, cachedTokens: 0, byModel: [] };
        groups.set(row.group_key, group);
      }
      group.calls += part.calls;
      group.promptTokens += part.promptTokens;
      group.completionTokens += part.completionTokens;
      group.reasoningTokens += part.reasoningTokens;
      group.cachedTokens += part.cachedTokens;
      group.byModel.push(part);
    }
    return [...groups.values()];
  }
}
