import { ModelUsageStore, type ModelUsageQuery, type ModelUsageRecord, type ModelUsageTotals } from '@aether/persistence';

/** Test double of `ModelUsageStore`: keeps the records; totals as the TypeORM store groups them. */
export class InMemoryModelUsageStore extends ModelUsageStore {
  readonly records: Array<ModelUsageRecord & { createdAt: Date }> = [];

  async record(usages: readonly ModelUsageRecord[]): Promise<void> {
    for (const usage of usages) this.records.push({ ...usage, createdAt: new Date() });
  }

  async totals(query: ModelUsageQuery): Promise<ModelUsageTotals[]> {
    const groups = new Map<string, ModelUsageTotals>();
    const inRange = this.records.filter((r) => r.userId === query.userId && r.createdAt >= query.from && r.createdAt < query.to);
    for (const record of inRange) {
      const key = query.groupBy === 'day' ? record.createdAt.toISOString().slice(0, 10) : record[query.groupBy];
      const group = groups.get(key) ?? { key, calls: 0, promptTokens: 0, completionTokens: 0, reasoningTokens: 0, cachedTokens: 0, byModel: [] };
      groups.set(key, group);
      let part = group.byModel.find((p) => p.key === record.model);
      if (!part) group.byModel.push((part = { key: record.model, calls: 0, promptTokens: 0, completionTokens: 0, reasoningTokens: 0, cachedTokens: 0 }));
      for (const totals of [group, part]) {
        totals.calls += 1;
        totals.promptTokens += record.promptTokens;
        totals.completionTokens += record.completionTokens;
        totals.reasoningTokens += record.reasoningTokens;
        totals.cachedTokens += record.cachedTokens;
      }
    }
    return [...groups.values()].sort((a, b) => a.key.localeCompare(b.key));
  }
}
