import type { AnalysisArtifact, AnalysisArtifactContent, AnalysisReport, AnalysisReportDraft, Insight, InsightQuery, InsightStatus } from '@aether/core';

/** Whose records: the caller that asked, and the conversation it asked in. */
export interface InsightOwner {
  userId: string;
  conversationId: string;
}

/** The data science team's reports and insights, scoped to the caller that asked; implemented over TypeORM. */
export abstract class InsightStore {
  /**
   * Stores a finished team run, each of its findings as a `new` insight and each of its pictures
   * with a fresh link secret (`accessToken`), in one transaction.
   */
  abstract saveReport(
    draft: AnalysisReportDraft,
    owner: InsightOwner,
  ): Promise<{ report: AnalysisReport; insights: Insight[]; artifacts: Array<AnalysisArtifact & { accessToken: string }> }>;
  /** The caller's insights, newest report first and in report order within one. */
  abstract listInsights(userId: string, query?: InsightQuery): Promise<Insight[]>;
  /** The caller's insight, or undefined (another caller's is not found, not forbidden). */
  abstract getInsight(id: string, userId: string): Promise<Insight | undefined>;
  abstract setInsightStatus(id: string, userId: string, status: InsightStatus): Promise<Insight | undefined>;
  abstract listReports(userId: string, query?: { conversationId?: string; limit?: number }): Promise<AnalysisReport[]>;
  abstract getReport(id: string, userId: string): Promise<AnalysisReport | undefined>;
  /** A kept picture: the caller's, or anyone's whose link secret is given; else undefined. */
  abstract getArtifact(id: string, access: { userId: string } | { accessToken: string }): Promise<AnalysisArtifactContent | undefined>;
}
