import { AgentError } from './agent-contract';
import type { AgentName } from './agent-names';
import { truncate } from './truncate';

/**
 * The structured input of the data science team (`AgentRequest.data`), read by the DS Orchestrator
 * (`{ hours? | period?, specialists? }`) and by the analysts (`{ specialist, hours? | period?, query? }`). Values come
 * from a model's tool call or from another process, so each is checked where it is read: a wrong
 * one is refused as `invalid_input` naming the field, never clamped or ignored in silence.
 */
export const SPECIALISTS = ['behavioral', 'custom', 'diagnostic', 'energy'] as const;
/**
 * `custom`: an analysis no other specialist covers ("does the heat pump run more on cold days?"),
 * run as a Python script in a sandbox over data exported from HA. Asked for by name or by its
 * keywords only, never as part of "everyone" for a question no keyword points at.
 */
export type Specialist = (typeof SPECIALISTS)[number];

/** An analysis window, in hours ending now: a year at most (366 days). */
export const ANALYSIS_WINDOW_HOURS = { min: 1, max: 8784 } as const;

/**
 * The longest window each specialist reads. Energy a year: HA keeps hourly long-term statistics
 * for years, and history only for its edges. The logbook and every entity's history are kept for
 * `purge_keep_days` (10 by default) and cost far more to read: 30 days for behaviour and diagnostics.
 * A longer window asked of them is shortened to this, and the report says the window it covers.
 */
export const SPECIALIST_MAX_WINDOW_HOURS: Readonly<Record<Specialist, number>> = { energy: ANALYSIS_WINDOW_HOURS.max, behavioral: 720, diagnostic: 720, custom: ANALYSIS_WINDOW_HOURS.max };

/**
 * Words of a question about how something depends on the weather or on something else — what the
 * custom analysis answers ("does the heat pump run more on cold days?"). One list for the DS
 * orchestrator choosing it and the analysis choosing its script.
 */
export const CUSTOM_ANALYSIS_KEYWORDS: ReadonlySet<string> = new Set([
  // Not "temperature" or "outdoor": "the living room temperature" asks for a reading, not a dependence.
  'cold', 'colder', 'warm', 'warmer', 'hot', 'hotter', 'weather', 'correlate', 'correlates', 'correlation', 'depend', 'depends', 'relationship',
]);

export function isSpecialist(value: unknown): value is Specialist {
  return typeof value === 'string' && (SPECIALISTS as readonly string[]).includes(value);
}

/** `data.hours`: absent (undefined), or a number of hours within `ANALYSIS_WINDOW_HOURS`, rounded to whole hours. */
export function readWindowHours(data: Record<string, unknown> | undefined, agent: AgentName): number | undefined {
  const value = data?.['hours'];
  if (value === undefined || value === null) return undefined;
  const { min, max } = ANALYSIS_WINDOW_HOURS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new AgentError('invalid_input', `data.hours must be a number of hours from ${min} to ${max}, got ${shown(value)}.`, agent);
  }
  return Math.round(value);
}

/**
 * Calendar periods in the home's time zone, resolved in code by the analyst that knows the zone
 * (a model told "yesterday" must not compute the dates itself). Weeks start on Monday (ISO 8601);
 * a period that is still running ends now. Besides these names a period is a month: its name
 * (`november`: the latest November that has begun) or a month of a given year (`2025-11`).
 */
export const CALENDAR_PERIODS = ['today', 'yesterday', 'this_week', 'last_week', 'this_month', 'last_month', 'this_year', 'last_year'] as const;
export const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'] as const;
export type MonthName = (typeof MONTH_NAMES)[number];
/** A month of a given year, "2025-11". */
export type YearMonth = `${number}-${number}`;
export type CalendarPeriod = (typeof CALENDAR_PERIODS)[number] | MonthName | YearMonth;
/** The shape of a `YearMonth` (months 01–12). */
export const YEAR_MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isCalendarPeriod(value: unknown): value is CalendarPeriod {
  return typeof value === 'string' && ((CALENDAR_PERIODS as readonly string[]).includes(value) || (MONTH_NAMES as readonly string[]).includes(value) || YEAR_MONTH_PATTERN.test(value));
}

/** How reports and status lines name a period: "last week", "November", "November 2025". */
export function calendarPeriodLabel(period: CalendarPeriod): string {
  const month = YEAR_MONTH_PATTERN.exec(period);
  if (month) return `${capitalised(MONTH_NAMES[Number(month[2]) - 1])} ${month[1]}`;
  if ((MONTH_NAMES as readonly string[]).includes(period)) return capitalised(period);
  return period.replace('_', ' ');
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * `data.period`: absent (undefined), or a calendar period (see `CALENDAR_PERIODS`). A window is
 * given one way: `data.hours` and `data.period` together are refused.
 */
export function readCalendarPeriod(data: Record<string, unknown> | undefined, agent: AgentName): CalendarPeriod | undefined {
  const value = data?.['period'];
  if (value === undefined || value === null) return undefined;
  if (!isCalendarPeriod(value)) {
    throw new AgentError('invalid_input', `data.period must be one of ${CALENDAR_PERIODS.join(', ')}, a month name (november) or a month of a year (2025-11), got ${shown(value)}.`, agent);
  }
  if (data?.['hours'] !== undefined && data['hours'] !== null) {
    throw new AgentError('invalid_input', 'Give the analysis window as data.hours or as data.period, not both.', agent);
  }
  return value;
}

/** `data.specialists`: absent (undefined), or a non-empty list of known specialists (duplicates dropped). */
export function readSpecialists(data: Record<string, unknown> | undefined, agent: AgentName): Specialist[] | undefined {
  const value = data?.['specialists'];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every(isSpecialist)) {
    throw new AgentError(
      'invalid_input',
      `data.specialists must be a non-empty list of ${SPECIALISTS.join(', ')}, got ${shown(value)}.`,
      agent,
    );
  }
  return SPECIALISTS.filter((specialist) => value.includes(specialist));
}

/**
 * How the team works: `parallel` asks the specialists at once; `teamwork` asks them one after
 * another (energy → behavioral → diagnostic), each seeing the earlier findings, then holds one
 * discussion round. `depth`: `quick` holds no discussion round, `standard` holds one when the
 * parallel findings conflict, `deep` always holds one.
 */
export const ANALYSIS_STRATEGIES = ['parallel', 'teamwork'] as const;
export type AnalysisStrategy = (typeof ANALYSIS_STRATEGIES)[number];
export const ANALYSIS_DEPTHS = ['quick', 'standard', 'deep'] as const;
export type AnalysisDepth = (typeof ANALYSIS_DEPTHS)[number];
/**
 * How the team's findings are summed up: `programmatic` (always: grouped by entity, conflicts,
 * scored recommendations, a consensus line, all in code), or `llm` — that and a few sentences the
 * team's model writes from the report, shown only when every figure in them is the report's.
 */
export const SYNTHESIS_MODES = ['programmatic', 'llm'] as const;
export type SynthesisMode = (typeof SYNTHESIS_MODES)[number];

/** `data.strategy`: absent (undefined) or one of `ANALYSIS_STRATEGIES`. */
export function readStrategy(data: Record<string, unknown> | undefined, agent: AgentName): AnalysisStrategy | undefined {
  return readChoice(data, 'strategy', ANALYSIS_STRATEGIES, agent);
}

/** `data.depth`: absent (undefined) or one of `ANALYSIS_DEPTHS`. */
export function readDepth(data: Record<string, unknown> | undefined, agent: AgentName): AnalysisDepth | undefined {
  return readChoice(data, 'depth', ANALYSIS_DEPTHS, agent);
}

/** `data.synthesis`: absent (undefined) or one of `SYNTHESIS_MODES`. */
export function readSynthesisMode(data: Record<string, unknown> | undefined, agent: AgentName): SynthesisMode | undefined {
  return readChoice(data, 'synthesis', SYNTHESIS_MODES, agent);
}

function readChoice<T extends string>(data: Record<string, unknown> | undefined, field: string, choices: readonly T[], agent: AgentName): T | undefined {
  const value = data?.[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new AgentError('invalid_input', `data.${field} must be one of ${choices.join(', ')}, got ${shown(value)}.`, agent);
  }
  return value as T;
}

/**
 * What an analyst found (the original Aether's `SpecialistFinding`). Every figure in it is computed
 * in code; `evidence` holds those figures so a reader (or a later analyst) can check the claim.
 */
export const FINDING_TYPES = ['insight', 'concern', 'recommendation', 'data_quality_flag'] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

/** A JSON value in a finding's evidence. */
export type EvidenceValue = string | number | boolean | null | EvidenceValue[] | { [key: string]: EvidenceValue };

/**
 * An automation a finding suggests, as a Home Assistant automation config draft (HA 2024.10+
 * keys: `triggers` / `conditions` / `actions`). Only a suggestion: nothing reaches HA without an
 * approved proposal.
 */
export interface AutomationSuggestion {
  alias: string;
  description: string;
  triggers: Array<Record<string, EvidenceValue>>;
  conditions?: Array<Record<string, EvidenceValue>>;
  actions: Array<Record<string, EvidenceValue>>;
}

export interface Finding {
  specialist: Specialist;
  type: FindingType;
  title: string;
  description: string;
  /** 0–1. */
  confidence: number;
  entities: string[];
  /** The computed figures behind the finding ("occurrences": 24, "days": 30…). */
  evidence: Record<string, EvidenceValue>;
  automationSuggestion?: AutomationSuggestion;
  /**
   * The Home Assistant devices of its entities (filled in by the analysts' service from HA's entity
   * registry), so findings about one device through different entities meet: the heater's switch
   * and its energy meter, a motion sensor and its battery.
   */
  devices?: string[];
  /** Another specialist's findings about the same entities or devices, and whether they agree (teamwork, discussion round). */
  crossReferences?: CrossReference[];
}

export const CROSS_REFERENCE_RELATIONS = ['agrees', 'disagrees'] as const;
export type CrossReferenceRelation = (typeof CROSS_REFERENCE_RELATIONS)[number];

export interface CrossReference {
  specialist: Specialist;
  /** The title of the finding referred to. */
  title: string;
  relation: CrossReferenceRelation;
  /** What both findings are about: the entities they share, else the other finding's entities on a device they share. */
  entities: string[];
}

/** Concerns and data-quality flags are negative; insights and recommendations positive. */
const NEGATIVE_FINDING_TYPES: ReadonlySet<FindingType> = new Set(['concern', 'data_quality_flag']);

export function isNegativeFinding(finding: Pick<Finding, 'type'>): boolean {
  return NEGATIVE_FINDING_TYPES.has(finding.type);
}

/**
 * `findings` with references to the `others` (another specialist's) about the same entities or
 * devices: they agree when both are negative or both positive, else disagree (the team synthesis's
 * conflict rule). A finding with nothing in common is returned as it was; references already there are kept.
 */
export function crossReference(findings: readonly Finding[], others: readonly Finding[]): Finding[] {
  return findings.map((finding) => {
    const references = others
      .filter((other) => other.specialist !== finding.specialist)
      .map((other) => {
        const shared = finding.entities.filter((entity) => other.entities.includes(entity));
        const sameDevice = (finding.devices ?? []).some((device) => (other.devices ?? []).includes(device));
        return { other, entities: shared.length > 0 ? shared : sameDevice ? other.entities : [] };
      })
      .filter(({ entities }) => entities.length > 0)
      .map(({ other, entities }): CrossReference => ({
        specialist: other.specialist,
        title: other.title,
        relation: isNegativeFinding(other) === isNegativeFinding(finding) ? 'agrees' : 'disagrees',
        entities,
      }));
    const known = finding.crossReferences ?? [];
    const added = references.filter((r) => !known.some((k) => k.specialist === r.specialist && k.title === r.title));
    return added.length === 0 ? finding : { ...finding, crossReferences: [...known, ...added] };
  });
}

/** `data.priorFindings` of an analyst's request (teamwork: the earlier specialists' findings), checked like any finding. */
export function readPriorFindings(data: Record<string, unknown> | undefined, agent: AgentName): Finding[] | undefined {
  const value = data?.['priorFindings'];
  if (value === undefined || value === null) return undefined;
  try {
    return readFindings(value, agent, 'the caller');
  } catch (error) {
    if (error instanceof AgentError) throw new AgentError('invalid_input', `data.priorFindings: ${error.message}`, agent);
    throw error;
  }
}

/**
 * `findings` of an analyst's result, checked where it crosses a hop (the analyst before it sends,
 * the DS orchestrator when it receives): a finding of the wrong shape fails the call as
 * `upstream_error` naming the finding and field, instead of being dropped in silence.
 * `from` names the sender in the message ("the behavioral analyst").
 */
export function readFindings(value: unknown, agent: AgentName, from: string): Finding[] {
  if (!Array.isArray(value)) throw invalidFinding(agent, from, 'findings', 'must be a list', value);
  return value.map((item, index) => readFinding(item, agent, from, `findings[${index}]`));
}

function readFinding(item: unknown, agent: AgentName, from: string, at: string): Finding {
  if (!isRecord(item)) throw invalidFinding(agent, from, at, 'must be an object', item);
  const field = (name: string, ok: boolean, rule: string) => {
    if (!ok) throw invalidFinding(agent, from, `${at}.${name}`, rule, item[name]);
  };
  field('specialist', isSpecialist(item['specialist']), `must be one of ${SPECIALISTS.join(', ')}`);
  field('type', typeof item['type'] === 'string' && (FINDING_TYPES as readonly string[]).includes(item['type']), `must be one of ${FINDING_TYPES.join(', ')}`);
  field('title', isText(item['title']), 'must be a non-empty string');
  field('description', typeof item['description'] === 'string', 'must be a string');
  const confidence = item['confidence'];
  field('confidence', typeof confidence === 'number' && confidence >= 0 && confidence <= 1, 'must be a number from 0 to 1');
  field('entities', Array.isArray(item['entities']) && item['entities'].every(isText), 'must be a list of entity ids');
  field('evidence', isRecord(item['evidence']), 'must be an object of figures');
  const suggestion = item['automationSuggestion'];
  if (suggestion !== undefined) {
    const rule = 'must be an automation draft: alias, description, non-empty triggers and actions (lists of objects)';
    field(
      'automationSuggestion',
      isRecord(suggestion) &&
        isText(suggestion['alias']) &&
        typeof suggestion['description'] === 'string' &&
        isObjectList(suggestion['triggers']) &&
        isObjectList(suggestion['actions']) &&
        (suggestion['conditions'] === undefined || (Array.isArray(suggestion['conditions']) && suggestion['conditions'].every(isRecord))),
      rule,
    );
  }
  field('devices', item['devices'] === undefined || (Array.isArray(item['devices']) && item['devices'].every(isText)), 'must be a list of device ids');
  const references = item['crossReferences'];
  field(
    'crossReferences',
    references === undefined ||
      (Array.isArray(references) &&
        references.every(
          (r) =>
            isRecord(r) &&
            isSpecialist(r['specialist']) &&
            isText(r['title']) &&
            (CROSS_REFERENCE_RELATIONS as readonly unknown[]).includes(r['relation']) &&
            Array.isArray(r['entities']) &&
            r['entities'].every(isText),
        )),
    `must be a list of { specialist, title, relation (${CROSS_REFERENCE_RELATIONS.join(' | ')}), entities }`,
  );
  return item as unknown as Finding;
}

function invalidFinding(agent: AgentName, from: string, at: string, rule: string, value: unknown): AgentError {
  return new AgentError('upstream_error', `${from} sent an invalid finding: ${at} ${rule}, got ${truncate(shown(value), 120)}.`, agent);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isObjectList(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && value.every(isRecord);
}

/** The offending value in an error message (any value: BigInts and cycles included). */
function shown(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
