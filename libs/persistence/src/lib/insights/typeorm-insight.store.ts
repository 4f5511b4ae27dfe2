import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { tokenMatches, type AnalysisArtifact, type AnalysisArtifactContent, type AnalysisReport, type AnalysisReportDraft, type Insight, type InsightQuery, type InsightStatus } from '@aether/core';
import { InsightStore, type InsightOwner } from './insight.store';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ReportRow {
  id: string;
  conversation_id: string;
  question: string;
  window_label: string;
  strategy: AnalysisReport['strategy'];
  depth: AnalysisReport['depth'];
  specialists: AnalysisReport['specialists'];
  summary: string;
  consensus: string;
  conflicts: string[];
  recommendations: string[];
  insight_ids: string[] | null;
  artifacts: AnalysisReport['artifacts'] | null;
  created_at: Date | string;
}

interface ArtifactRow {
  id: string;
  report_id: string;
  user_id: string;
  title: string;
  media_type: AnalysisArtifact['mediaType'];
  content: Uint8Array;
  access_token: string;
  created_at: Date | string;
}

interface InsightRow {
  id: string;
  report_id: string;
  position: number;
  conversation_id: string;
  specialist: Insight['specialist'];
  type: Insight['type'];
  title: string;
  description: string;
  confidence: number | string;
  entities: string[];
  evidence: Insight['evidence'];
  automation_suggestion: Insight['automationSuggestion'] | null;
  cross_references: Insight['crossReferences'] | null;
  status: InsightStatus;
  created_at: Date | string;
  updated_at: Date | string;
}

/** The report's columns, its insights' ids and its pictures, in report order. */
const REPORT_COLUMNS = `r.*, ARRAY(SELECT i.id::text FROM insights i WHERE i.report_id = r.id ORDER BY i.position) AS insight_ids,
  (SELECT coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'title', a.title, 'mediaType', a.media_type) ORDER BY a.position), '[]'::jsonb)
     FROM analysis_artifacts a WHERE a.report_id = r.id) AS artifacts`;

/** `InsightStore` over TypeORM (plain SQL, so PostgreSQL and PGlite run the same statements). */
@Injectable()
export class TypeOrmInsightStore extends InsightStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async saveReport(
    draft: AnalysisReportDraft,
    owner: InsightOwner,
  ): Promise<{ report: AnalysisReport; insights: Insight[]; artifacts: Array<AnalysisArtifact & { accessToken: string }> }> {
    // One statement for the report, its findings and its pictures: atomic as a transaction, in one
    // round trip instead of five (BEGIN, three INSERTs, COMMIT) — the report is written on the
    // answer's path, before it is told.
    const reportId = randomUUID();
    const params: unknown[] = [
      reportId,
      owner.userId,
      owner.conversationId,
      draft.question,
      draft.window,
      draft.strategy,
      draft.depth,
      JSON.stringify(draft.specialists),
      draft.summary,
      draft.consensus,
      JSON.stringify(draft.conflicts),
      JSON.stringify(draft.recommendations),
    ];
    const param = (value: unknown): string => `$${params.push(value)}`;
    const findingRows = draft.findings.map(
      (finding, position) =>
        `(${[randomUUID(), reportId, position, owner.userId, owner.conversationId, finding.specialist, finding.type, finding.title, finding.description, finding.confidence]
          .map(param)
          .join(', ')}, ${param(JSON.stringify(finding.entities))}::jsonb, ${param(JSON.stringify(finding.evidence))}::jsonb, ${param(
          finding.automationSuggestion ? JSON.stringify(finding.automationSuggestion) : null,
        )}::jsonb, ${param(finding.crossReferences?.length ? JSON.stringify(finding.crossReferences) : null)}::jsonb, 'new', now(), now())`,
    );
    // The bytes go as their base64 text and are decoded by the database (a Buffer parameter would
    // travel hex-encoded, half again as long).
    const drafts = draft.images.map((image) => ({ id: randomUUID(), reportId, title: image.title, mediaType: image.mediaType, accessToken: randomBytes(24).toString('base64url'), data: image.data }));
    const imageRows = drafts.map(
      (image, position) =>
        `(${[image.id, reportId, position, owner.userId, image.title, image.mediaType].map(param).join(', ')}, decode(${param(image.data)}, 'base64'), ${param(image.accessToken)}, now())`,
    );
    const statements = [
      `report AS (
         INSERT INTO analysis_reports (id, user_id, conversation_id, question, window_label, strategy, depth, specialists, summary, consensus, conflicts, recommendations, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11::jsonb, $12::jsonb, now())
         RETURNING *)`,
    ];
    if (findingRows.length > 0) {
      statements.push(`findings AS (
         INSERT INTO insights (id, report_id, position, user_id, conversation_id, specialist, type, title, description, confidence, entities, evidence, automation_suggestion, cross_references, status, created_at, updated_at)
         VALUES ${findingRows.join(', ')}
         RETURNING *)`);
    }
    if (imageRows.length > 0) {
      statements.push(`pictures AS (
         INSERT INTO analysis_artifacts (id, report_id, position, user_id, title, media_type, content, access_token, created_at)
         VALUES ${imageRows.join(', ')}
         RETURNING id, created_at)`);
    }
    const [saved]: Array<{ report: ReportRow; insights: InsightRow[]; artifacts: Array<Pick<ArtifactRow, 'id' | 'created_at'>> }> = await this.dataSource.query(
      `WITH ${statements.join(', ')}
       SELECT to_jsonb(report) AS report,
         ${findingRows.length > 0 ? '(SELECT jsonb_agg(to_jsonb(f) ORDER BY f.position) FROM findings f)' : `'[]'::jsonb`} AS insights,
         ${imageRows.length > 0 ? '(SELECT jsonb_agg(to_jsonb(p)) FROM pictures p)' : `'[]'::jsonb`} AS artifacts
       FROM report`,
      params,
    );
    const insights = saved.insights.map(toInsight);
    const createdAt = new Map(saved.artifacts.map((row) => [row.id, iso(row.created_at)]));
    const artifacts = drafts.map(({ data: _data, ...artifact }) => ({ ...artifact, createdAt: createdAt.get(artifact.id) ?? '' }));
    const report = toReport({
      ...saved.report,
      insight_ids: insights.map((insight) => insight.id),
      artifacts: artifacts.map(({ id, title, mediaType }) => ({ id, title, mediaType })),
    });
    return { report, insights, artifacts };
  }

  async listInsights(userId: string, query: InsightQuery = {}): Promise<Insight[]> {
    const where = ['i.user_id = $1'];
    const values: unknown[] = [userId];
    for (const [column, value] of [
      ['i.status', query.status],
      ['i.type', query.type],
      ['i.specialist', query.specialist],
      ['i.conversation_id', query.conversationId],
    ] as const) {
      if (value === undefined) continue;
      values.push(value);
      where.push(`${column} = $${values.length}`);
    }
    values.push(limitOf(query.limit));
    const rows: InsightRow[] = await this.dataSource.query(
      `SELECT i.* FROM insights i JOIN analysis_reports r ON r.id = i.report_id
       WHERE ${where.join(' AND ')} ORDER BY r.created_at DESC, r.id DESC, i.position LIMIT $${values.length}`,
      values,
    );
    return rows.map(toInsight);
  }

  async getInsight(id: string, userId: string): Promise<Insight | undefined> {
    // An id that is not a uuid names no insight (and must not reach the uuid column as a query error).
    if (!UUID.test(id)) return undefined;
    const [row]: InsightRow[] = await this.dataSource.query(`SELECT * FROM insights WHERE id = $1 AND user_id = $2`, [id, userId]);
    return row ? toInsight(row) : undefined;
  }

  async setInsightStatus(id: string, userId: string, status: InsightStatus): Promise<Insight | undefined> {
    if (!UUID.test(id)) return undefined;
    // An UPDATE inside a WITH, so every driver answers with the rows (a bare UPDATE … RETURNING differs by driver).
    const [row]: InsightRow[] = await this.dataSource.query(
      `WITH changed AS (UPDATE insights SET status = $3, updated_at = now() WHERE id = $1 AND user_id = $2 RETURNING *) SELECT * FROM changed`,
      [id, userId, status],
    );
    return row ? toInsight(row) : undefined;
  }

  async listReports(userId: string, query: { conversationId?: string; limit?: number } = {}): Promise<AnalysisReport[]> {
    const values: unknown[] = [userId];
    let where = 'r.user_id = $1';
    if (query.conversationId) {
      values.push(query.conversationId);
      where += ` AND r.conversation_id = $${values.length}`;
    }
    values.push(limitOf(query.limit));
    const rows: ReportRow[] = await this.dataSource.query(
      `SELECT ${REPORT_COLUMNS} FROM analysis_reports r WHERE ${where} ORDER BY r.created_at DESC, r.id DESC LIMIT $${values.length}`,
      values,
    );
    return rows.map(toReport);
  }

  async getReport(id: string, userId: string): Promise<AnalysisReport | undefined> {
    if (!UUID.test(id)) return undefined;
    const [row]: ReportRow[] = await this.dataSource.query(`SELECT ${REPORT_COLUMNS} FROM analysis_reports r WHERE r.id = $1 AND r.user_id = $2`, [id, userId]);
    return row ? toReport(row) : undefined;
  }

  async getArtifact(id: string, access: { userId: string } | { accessToken: string }): Promise<AnalysisArtifactContent | undefined> {
    if (!UUID.test(id)) return undefined;
    const [row]: ArtifactRow[] = await this.dataSource.query(`SELECT * FROM analysis_artifacts WHERE id = $1`, [id]);
    if (!row) return undefined;
    const allowed = 'userId' in access ? row.user_id === access.userId : tokenMatches(access.accessToken, row.access_token);
    if (!allowed) return undefined;
    return {
      id: row.id,
      reportId: row.report_id,
      title: row.title,
      mediaType: row.media_type,
      createdAt: iso(row.created_at),
      data: Buffer.from(row.content).toString('base64'),
    };
  }
}

function limitOf(limit: number | undefined): number {
  return Math.min(Math.max(limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT);
}

function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function toReport(row: ReportRow): AnalysisReport {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    question: row.question,
    window: row.window_label,
    strategy: row.strategy,
    depth: row.depth,
    specialists: row.specialists,
    summary: row.summary,
    consensus: row.consensus,
    conflicts: row.conflicts,
    recommendations: row.recommendations,
    insightIds: row.insight_ids ?? [],
    artifacts: row.artifacts ?? [],
    createdAt: iso(row.created_at),
  };
}

function toInsight(row: InsightRow): Insight {
  return {
    id: row.id,
    reportId: row.report_id,
    conversationId: row.conversation_id,
    specialist: row.specialist,
    type: row.type,
    title: row.title,
    description: row.description,
    confidence: Number(row.confidence),
    entities: row.entities,
    evidence: row.evidence,
    ...(row.automation_suggestion ? { automationSuggestion: row.automation_suggestion } : {}),
    ...(row.cross_references ? { crossReferences: row.cross_references } : {}),
    status: row.status,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
