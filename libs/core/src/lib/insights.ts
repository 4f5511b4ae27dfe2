import { AgentError } from './agent-contract';
import { isRecord, isText, shown } from './wire-values';
import type { AgentName } from './agent-names';
import { isImageMediaType, type ImageMediaType } from './agent-events';
import { FINDING_TYPES, SPECIALISTS, type AnalysisDepth, type AnalysisStrategy, type AutomationSuggestion, type Finding, type FindingType, type Specialist } from './data-science-protocol';
import type { ProposalDraftInput } from './developer-protocol';
import { haSlugify } from './text';

/**
 * What the data science team keeps: every finding of a team run as an insight a person can work
 * through, and every run as a report. Both belong to the caller that asked (`userId` of the call's
 * context), like proposals: another caller's are not found, never forbidden.
 */
export const INSIGHT_STATUSES = ['new', 'acknowledged', 'dismissed', 'acted_on'] as const;
export type InsightStatus = (typeof INSIGHT_STATUSES)[number];

export interface Insight extends Finding {
  id: string;
  reportId: string;
  conversationId: string;
  status: InsightStatus;
  createdAt: string;
  updatedAt: string;
}

export interface AnalysisReport {
  id: string;
  conversationId: string;
  /** The question the team answered. */
  question: string;
  /** The window as the report states it ("the last 48 hours", "yesterday"). */
  window: string;
  strategy: AnalysisStrategy;
  depth: AnalysisDepth;
  /** The specialists consulted, and how each run ended. */
  specialists: Array<{ specialist: Specialist; status: 'completed' | 'not_available'; findings: number }>;
  /** The team report as the caller read it. */
  summary: string;
  /** The programmatic synthesis: the consensus line, the conflicts between specialists, the recommendations. */
  consensus: string;
  conflicts: string[];
  recommendations: string[];
  insightIds: string[];
  /** The pictures the report showed (charts), in order: each served at `/api/v1/artifacts/:id`. */
  artifacts: Array<Pick<AnalysisArtifact, 'id' | 'title' | 'mediaType'>>;
  createdAt: string;
}

/** A picture kept with a team report (an analyst's `image` event). */
export interface AnalysisArtifact {
  id: string;
  reportId: string;
  title: string;
  mediaType: ImageMediaType;
  createdAt: string;
}

/** A kept picture with its bytes, base64-encoded: the answer to `get_artifact`. */
export interface AnalysisArtifactContent extends AnalysisArtifact {
  data: string;
}

/** A finished team run as the DS orchestrator hands it to its store, with the pictures its analysts made. */
export type AnalysisReportDraft = Omit<AnalysisReport, 'id' | 'insightIds' | 'artifacts' | 'createdAt'> & {
  findings: Finding[];
  images: Array<{ title: string; mediaType: ImageMediaType; data: string }>;
};

/**
 * The DS orchestrator's record actions (`AgentRequest.data.action`); without an action a request is
 * a question for the team. Values come from another process: each is checked where it is read.
 */
export const DS_TEAM_RECORD_ACTIONS = ['list_insights', 'get_insight', 'set_insight_status', 'list_reports', 'get_report', 'get_artifact'] as const;
export type DsTeamRecordAction = (typeof DS_TEAM_RECORD_ACTIONS)[number];

export interface InsightQuery {
  status?: InsightStatus;
  type?: FindingType;
  specialist?: Specialist;
  conversationId?: string;
  /** Newest first; default 50, at most 200. */
  limit?: number;
}

export type DsTeamRecordRequest =
  | ({ action: 'list_insights' } & InsightQuery)
  | { action: 'get_insight'; insightId: string }
  /** A person acknowledged or dismissed the caller's insight, or acted on it. */
  | { action: 'set_insight_status'; insightId: string; status: InsightStatus }
  | { action: 'list_reports'; conversationId?: string; limit?: number }
  | { action: 'get_report'; reportId: string }
  /**
   * One kept picture: the caller's, or — with `accessToken` — whoever holds its link (the token is
   * the artifact's own secret, see `ArtifactEvent`).
   */
  | { action: 'get_artifact'; artifactId: string; accessToken?: string };

/** The answer to a record action, as the `result` event's data; `not_found` for an id the caller has none of. */
export type DsTeamRecordResult =
  | { insights: Insight[] }
  | { insight: Insight }
  | { reports: AnalysisReport[] }
  | { report: AnalysisReport }
  | { artifact: AnalysisArtifactContent }
  | { notFound: string };

/**
 * The proposal draft an insight's automation suggestion becomes when a person asks for it: the
 * suggestion as an automation config, named as HA names it (the Developer checks it like any draft).
 */
export function automationDraftFromSuggestion(suggestion: AutomationSuggestion): ProposalDraftInput<'automation'> {
  const haId = haSlugify(suggestion.alias) || 'suggested_automation';
  const { alias, description, triggers, conditions, actions } = suggestion;
  return {
    kind: 'automation',
    title: alias,
    description,
    payload: { config: { id: haId, alias, description, triggers, ...(conditions?.length ? { conditions } : {}), actions } },
    haId,
  };
}

/** The record action of a request, undefined when it is a question for the team. */
export function readDsTeamRecordRequest(data: Record<string, unknown> | undefined, agent: AgentName): DsTeamRecordRequest | undefined {
  const action = data?.['action'];
  if (action === undefined) return undefined;
  if (typeof action !== 'string' || !(DS_TEAM_RECORD_ACTIONS as readonly string[]).includes(action)) {
    throw invalid(agent, 'action', `must be one of ${DS_TEAM_RECORD_ACTIONS.join(', ')}`, action);
  }
  const fields = data ?? {};
  const optional = <T>(name: string, ok: (value: unknown) => boolean, rule: string): T | undefined => {
    const value = fields[name];
    if (value === undefined) return undefined;
    if (!ok(value)) throw invalid(agent, name, rule, value);
    return value as T;
  };
  const required = (name: string): string => {
    const value = fields[name];
    if (!isText(value)) throw invalid(agent, name, 'must be an id', value);
    return value;
  };
  const oneOf = (values: readonly string[]) => (value: unknown) => typeof value === 'string' && values.includes(value);
  const limit = () => optional<number>('limit', (value) => Number.isInteger(value) && (value as number) > 0, 'must be a positive integer');
  const conversationId = () => optional<string>('conversationId', isText, 'must be a conversation id');
  const known = action as DsTeamRecordAction;
  switch (known) {
    case 'list_insights':
      return compact<DsTeamRecordRequest>({
        action: 'list_insights',
        status: optional<InsightStatus>('status', oneOf(INSIGHT_STATUSES), `must be one of ${INSIGHT_STATUSES.join(', ')}`),
        type: optional<FindingType>('type', oneOf(FINDING_TYPES), `must be one of ${FINDING_TYPES.join(', ')}`),
        specialist: optional<Specialist>('specialist', oneOf(SPECIALISTS), `must be one of ${SPECIALISTS.join(', ')}`),
        conversationId: conversationId(),
        limit: limit(),
      });
    case 'get_insight':
      return { action: known, insightId: required('insightId') };
    case 'set_insight_status': {
      const status = fields['status'];
      if (!oneOf(INSIGHT_STATUSES)(status)) throw invalid(agent, 'status', `must be one of ${INSIGHT_STATUSES.join(', ')}`, status);
      return { action: known, insightId: required('insightId'), status: status as InsightStatus };
    }
    case 'list_reports':
      return compact<DsTeamRecordRequest>({ action: 'list_reports', conversationId: conversationId(), limit: limit() });
    case 'get_report':
      return { action: known, reportId: required('reportId') };
    case 'get_artifact':
      return compact<DsTeamRecordRequest>({
        action: known,
        artifactId: required('artifactId'),
        accessToken: optional<string>('accessToken', isText, 'must be the artifact link\'s token'),
      });
  }
}

/** The DS orchestrator's answer to a record action, checked where it is received. */
export function readDsTeamRecordResult(data: Record<string, unknown>, agent: AgentName): DsTeamRecordResult {
  if (isText(data['notFound'])) return { notFound: data['notFound'] };
  for (const key of ['insights', 'reports'] as const) {
    const list = data[key];
    if (Array.isArray(list)) {
      if (!list.every((item) => isRecord(item) && isText(item['id']))) throw upstream(agent, key, list);
      return { [key]: list } as unknown as DsTeamRecordResult;
    }
  }
  for (const key of ['insight', 'report'] as const) {
    const item = data[key];
    if (isRecord(item) && isText(item['id'])) return { [key]: item } as unknown as DsTeamRecordResult;
  }
  const artifact = data['artifact'];
  if (isRecord(artifact) && isText(artifact['id']) && isImageMediaType(artifact['mediaType']) && typeof artifact['data'] === 'string') {
    return { artifact: artifact as unknown as AnalysisArtifactContent };
  }
  throw upstream(agent, 'result', data);
}

/** The fields that were given (a missing optional field is absent, not undefined). */
function compact<T>(value: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function invalid(agent: AgentName, field: string, rule: string, value: unknown): AgentError {
  return new AgentError('invalid_input', `data.${field} ${rule}, got ${shown(value)}.`, agent);
}

function upstream(agent: AgentName, what: string, value: unknown): AgentError {
  return new AgentError('upstream_error', `The ds-orchestrator's ${what} is not a record answer (got ${shown(value)}).`, agent);
}
