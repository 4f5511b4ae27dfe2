import type { AnalysisReport, AnalysisReportDraft, Insight, InsightQuery, InsightStatus } from '@aether/core';

/** Whose records: the caller that asked, and the conversation it asked in. */
export interface InsightOwner {
  userId: string;
  conversationId: string;
}

/** The data science team's reports and insights, scoped to the caller that asked; implemented over TypeORM. */
export abstract class InsightStore {
  /** Stores a finished team run and each of its findings as a `new` insight, in one transaction. */
  abstract saveReport(draft: AnalysisReportDraft, owner: InsightOwner): Promise<{ report: AnalysisReport; insights: Insight[] }>;
  /** The caller's insights, newest report first and in report order within one. */
  abstract listInsights(userId: string, query?: InsightQuery): Promise<Insight[]>;
  /** The caller's insight, or undefined (another caller's is not found, not forbidden). */
  abstract getInsight(id: string, userId: string): Promise<Insight | undefined>;
  abstract setInsightStatus(id: string, userId: string, status: InsightStatus): Promise<Insight | undefined>;
  abstract listReports(userId: string, query?: { conversationId?: string; limit?: number }): Promise<AnalysisReport[]>;
  abstract getReport(id: string, userId: string): Promise<AnalysisReport | undefined>;
}
