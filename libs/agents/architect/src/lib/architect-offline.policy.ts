import { ANALYSIS_WINDOW_HOURS, type CalendarPeriod, type CatalogEntityView, type CatalogQueryResult } from '@aether/core';
import { namedCalendarPeriod, parseTimeWindowHours, periodOnlyFollowUpHours, type OfflineDecision, type OfflinePolicy } from '@aether/llm';
import { HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import {
  GET_AUTOMATION_CONFIG,
  GET_DOMAIN_SUMMARY,
  GET_ENTITY_STATE,
  LIST_AUTOMATIONS,
  LIST_ENTITIES_BY_DOMAIN,
  MAX_ENTITY_LIMIT,
  SEARCH_ENTITIES,
  type CatalogToolName,
} from './catalog/catalog.tools';
import type { CatalogResultOf } from './catalog/librarian-catalog.client';
import { CONSULT_DATA_SCIENCE_TEAM } from './consult-data-science-team.tool';
import {
  automationConfigAnswer,
  automationsAnswer,
  catalogErrorAnswer,
  domainSummaryAnswer,
  entitiesInStateAnswer,
  entityStateAnswer,
  noEntityFoundAnswer,
  unknownAutomationAnswer,
} from './offline/catalog-answers';
import { parseCatalogIntent, type CatalogIntent } from './offline/catalog-intent.parser';
import { followUpPeriodText, withoutTimeWindow } from './offline/follow-up.parser';
import { parseChangeRequest } from './offline/change-request.parser';
import { nextProposalStep } from './offline/proposal-steps';

/**
 * Words that make a question an analysis question for the data science team (energy; behaviour: routines, habits, what to
 * automate; diagnostics: what is unavailable, offline or failing, and why).
 */
export const ANALYSIS_KEYWORDS: ReadonlySet<string> = new Set([
  'energy', 'electricity', 'power', 'consumption', 'consume', 'consumed', 'consumes', 'consuming', 'usage', 'kwh', 'watt', 'watts',
  'analysis', 'analyse', 'analyze', 'analysing', 'analyzing', 'baseload', 'tariff', 'bill',
  'routine', 'routines', 'habit', 'habits', 'pattern', 'patterns', 'automate', 'manually', 'hand',
  'unavailable', 'offline', 'diagnose', 'diagnosis', 'diagnostic', 'diagnostics', 'troubleshoot', 'stale', 'failing', 'batteries',
]);

/** "Why is the porch light not working?": a diagnostic question without a keyword of its own. */
const NOT_WORKING = /\b(?:not|n't|isn't|aren't|stopped)\s+working\b|\bdoes(?:n't|\s+not)\s+work\b/;
/** "Does the heat pump run more on cold days?": how something depends on the weather (the team's custom analysis). */
const DEPENDS_ON_WEATHER = /\b(?:more|less|harder)\b[^.?!]*\b(?:cold|colder|warm|warmer|hot|hotter)\b|\b(?:cold|warm|hot)\s+(?:days|weather|nights)\b|\bcorrelat/;

/** Entities asked for when the offline model searches for the one a question names. */
const SEARCH_LIMIT = 10;

/**
 * The Architect's rules for the offline model:
 * - an analysis question → consult the data science team with the window named in the question;
 *   a follow-up naming only a period ("and yesterday?") → the earlier analysis question again, for
 *   the new window; after the team's report → an answer quoting it verbatim;
 * - a question about the home's current state → the catalog tools ("what lights are on?" →
 *   list_entities_by_domain with a live state filter; "is the front door locked?" → search_entities,
 *   then get_entity_state; automations → list_automations / get_automation_config), then an answer
 *   built from the tool results only.
 * - a change request (an automation with a trigger and an action, a one-off command, a new trigger
 *   for the conversation's pending proposal) → the catalog to find the entities, then a proposal tool;
 *   the answer is the proposal's summary (see `nextProposalStep`): nothing changes until approved.
 * Anything else falls back to the offline model's generic rules (it explains what it can do).
 */
export const architectOfflinePolicy: OfflinePolicy = ({ messages }) => {
  const userIndex = findLastIndex(messages, (m) => HumanMessage.isInstance(m));
  if (userIndex < 0) return undefined;
  const results = messages.slice(userIndex + 1).filter((m): m is ToolMessage => ToolMessage.isInstance(m));
  const teamResult = results.filter((m) => m.name === CONSULT_DATA_SCIENCE_TEAM).at(-1);
  if (teamResult) return answerFromReport(teamResult);

  const question = messages[userIndex].text;
  // A change ("turn off the kitchen light", an automation, "make it 30 minutes after sunset") only ever becomes a proposal.
  const change = parseChangeRequest(question);
  if (change) return nextProposalStep(change, results);

  const analysis = analysisCall(question, messages.slice(0, userIndex));
  if (analysis) return results.length > 0 ? undefined : analysis;

  const intent = parseCatalogIntent(question);
  if (!intent) return undefined;
  const failed = results.find((m) => m.status === 'error');
  if (failed) return text(catalogErrorAnswer(failed.text));
  return nextCatalogStep(intent, results);
};

function analysisCall(question: string, earlier: readonly BaseMessage[]): OfflineDecision | undefined {
  // A calendar period ("yesterday", "last week") goes to the team as such, to be resolved in the
  // home's time zone; any other window as hours.
  const period = namedCalendarPeriod(question);
  if (isAnalysisQuestion(question)) return consultTeam(question, period ? { period } : { hours: parseTimeWindowHours(question) });
  const hours = periodOnlyFollowUpHours(question);
  if (hours === undefined) return undefined;
  const topic = earlierAnalysisQuestion(earlier);
  return topic ? consultTeam(`${withoutTimeWindow(topic)} — ${followUpPeriodText(question)}`, period ? { period } : { hours }) : undefined;
}

function isAnalysisQuestion(text: string): boolean {
  const lower = text.toLowerCase();
  return (lower.match(/[a-z]+/g) ?? []).some((w) => ANALYSIS_KEYWORDS.has(w)) || NOT_WORKING.test(lower) || DEPENDS_ON_WEATHER.test(lower);
}

/** The analysis question a period-only follow-up continues, looking back through earlier follow-ups. */
function earlierAnalysisQuestion(earlier: readonly BaseMessage[]): string | undefined {
  for (let i = earlier.length - 1; i >= 0; i -= 1) {
    if (!HumanMessage.isInstance(earlier[i])) continue;
    const text = earlier[i].text;
    if (isAnalysisQuestion(text)) return text;
    if (periodOnlyFollowUpHours(text) === undefined) return undefined;
  }
  return undefined;
}

function consultTeam(query: string, window: { period: CalendarPeriod } | { hours: number | undefined }): OfflineDecision {
  const way = teamWay(query);
  if ('period' in window) return call(CONSULT_DATA_SCIENCE_TEAM, { query, period: window.period, ...way });
  const { hours } = window;
  return call(CONSULT_DATA_SCIENCE_TEAM, { query, ...(hours !== undefined ? { hours: Math.min(ANALYSIS_WINDOW_HOURS.max, Math.max(ANALYSIS_WINDOW_HOURS.min, Math.round(hours))) } : {}), ...way });
}

/** How the question asks the team to work: "as a team" / "together" → teamwork; "in depth" → deep; "quick" → quick. */
export function teamWay(question: string): { strategy?: 'teamwork'; depth?: 'quick' | 'deep' } {
  const teamwork = /\b(?:teamwork|as a team|together|cross-?check(?:ed|ing)?)\b/i.test(question);
  const depth = /\b(?:deep(?:ly)?|in[- ]depth|thorough(?:ly)?|detailed)\b/i.test(question) ? 'deep' : /\b(?:quick(?:ly)?|brief(?:ly)?)\b/i.test(question) ? 'quick' : undefined;
  return { ...(teamwork ? { strategy: 'teamwork' as const } : {}), ...(depth ? { depth } : {}) };
}

function nextCatalogStep(intent: CatalogIntent, results: readonly ToolMessage[]): OfflineDecision {
  switch (intent.kind) {
    case 'entities_in_state': {
      const listed = latestResult(results, LIST_ENTITIES_BY_DOMAIN, 'list_entities_by_domain');
      if (!listed) {
        return call(LIST_ENTITIES_BY_DOMAIN, {
          domain: intent.domain,
          stateFilter: intent.stateFilter,
          ...(intent.area ? { area: intent.area } : {}),
          // The name filter is applied here, so ask for as many as the tool gives.
          ...(intent.nameFilter ? { limit: MAX_ENTITY_LIMIT } : {}),
        });
      }
      return text(entitiesInStateAnswer(intent.nameFilter ? withNameFilter(listed, intent.nameFilter) : listed, intent));
    }
    case 'entity_state': {
      const found = latestResult(results, SEARCH_ENTITIES, 'search_entities');
      if (!found) return call(SEARCH_ENTITIES, { query: intent.search, limit: SEARCH_LIMIT });
      const entity = chooseEntity(found.entities, intent);
      if (!entity) return text(noEntityFoundAnswer(intent.search));
      const state = latestResult(results, GET_ENTITY_STATE, 'get_entity_state');
      if (!state) return call(GET_ENTITY_STATE, { entity_id: entity.entity_id });
      return text(entityStateAnswer(state, found.entities.filter((e) => e.entity_id !== entity.entity_id)));
    }
    case 'domain_summary': {
      const summary = latestResult(results, GET_DOMAIN_SUMMARY, 'get_domain_summary');
      return summary ? text(domainSummaryAnswer(summary)) : call(GET_DOMAIN_SUMMARY, { domain: intent.domain });
    }
    case 'automations': {
      const automations = latestResult(results, LIST_AUTOMATIONS, 'list_automations');
      return automations ? text(automationsAnswer(automations)) : call(LIST_AUTOMATIONS, {});
    }
    case 'automation_config': {
      const config = latestResult(results, GET_AUTOMATION_CONFIG, 'get_automation_config');
      if (config) return text(automationConfigAnswer(config, intent.automation));
      if (/^automation\.[a-z0-9_]+$/.test(intent.automation)) return call(GET_AUTOMATION_CONFIG, { automation: intent.automation });
      // A name, not an id: find the automation by its alias first.
      const automations = latestResult(results, LIST_AUTOMATIONS, 'list_automations');
      if (!automations) return call(LIST_AUTOMATIONS, {});
      const match = findAutomation(automations, intent.automation);
      return match ? call(GET_AUTOMATION_CONFIG, { automation: match.entity_id }) : text(unknownAutomationAnswer(intent.automation, automations.automations));
    }
  }
}

/** Only the listed entities named after `word`; the total stays exact when every entity was listed. */
function withNameFilter(result: CatalogResultOf<'list_entities_by_domain'>, word: string): CatalogResultOf<'list_entities_by_domain'> {
  const entities = result.entities.filter((e) => `${e.entity_id} ${e.name}`.toLowerCase().includes(word));
  return { ...result, entities, total: entities.length };
}

/** The entity a question is about: the Librarian's best match, preferring the domain and measurement the question implies. */
function chooseEntity(entities: readonly CatalogEntityView[], intent: Extract<CatalogIntent, { kind: 'entity_state' }>): CatalogEntityView | undefined {
  const inDomain = intent.domainHint ? entities.filter((e) => e.domain === intent.domainHint) : [];
  const pool = inDomain.length > 0 ? inDomain : entities;
  const measurement = intent.measurement;
  return (measurement && pool.find((e) => `${e.entity_id} ${e.name}`.toLowerCase().includes(measurement))) || pool[0];
}

function findAutomation(result: CatalogResultOf<'list_automations'>, name: string) {
  const wanted = name.toLowerCase();
  return (
    result.automations.find((a) => a.alias.toLowerCase() === wanted || a.entity_id === wanted || a.id === name) ??
    result.automations.find((a) => a.alias.toLowerCase().includes(wanted) || wanted.includes(a.alias.toLowerCase()))
  );
}

/** The structured result (tool message artifact) of this turn's latest call of `tool`. */
function latestResult<Op extends CatalogQueryResult['op']>(results: readonly ToolMessage[], tool: CatalogToolName, op: Op): CatalogResultOf<Op> | undefined {
  const message = results.filter((m) => m.name === tool).at(-1);
  const artifact = message?.artifact as CatalogQueryResult | undefined;
  if (!message) return undefined;
  if (!artifact || typeof artifact !== 'object' || !('op' in artifact)) {
    throw new Error(`The ${tool} tool result carries no catalog result; the offline model answers from structured results only.`);
  }
  if (artifact.op !== op && !(op === 'list_entities_by_domain' && artifact.op === 'search_entities') && !(op === 'search_entities' && artifact.op === 'list_entities_by_domain')) {
    throw new Error(`The ${tool} tool result is a ${artifact.op} result, not ${op}.`);
  }
  return artifact as CatalogResultOf<Op>;
}

function answerFromReport(result: ToolMessage): OfflineDecision {
  if (result.status === 'error') {
    return { kind: 'text', text: `I could not get an analysis from the data science team: ${result.text}` };
  }
  return {
    kind: 'text',
    text: `I asked the data science team to analyse your Home Assistant history. Their report:\n\n${result.text}\n\nThe figures above are computed from your home's recorded history.`,
  };
}

function call(name: string, args: Record<string, unknown>): OfflineDecision {
  return { kind: 'tool_calls', calls: [{ name, args }] };
}

function text(value: string): OfflineDecision {
  return { kind: 'text', text: value };
}

function findLastIndex(messages: readonly BaseMessage[], predicate: (m: BaseMessage) => boolean): number {
  for (let i = messages.length - 1; i >= 0; i -= 1) if (predicate(messages[i])) return i;
  return -1;
}
