import { parseTimeWindowHours, type OfflineDecision, type OfflinePolicy } from '@aether/llm';
import { HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { CONSULT_DATA_SCIENCE_TEAM } from './consult-data-science-team.tool';

/** Words that make a question an analysis question for the data science team. */
export const ANALYSIS_KEYWORDS: ReadonlySet<string> = new Set([
  'energy', 'electricity', 'power', 'consumption', 'consume', 'consumed', 'consumes', 'consuming', 'usage', 'kwh', 'watt', 'watts',
  'analysis', 'analyse', 'analyze', 'analysing', 'analyzing', 'baseload', 'tariff', 'bill',
]);

/**
 * The Architect's rules for the offline model: an analysis question → consult the data science
 * team with the window named in the question; after the team's report → an answer that quotes the
 * report verbatim, so the computed figures reach the user unchanged. Anything else falls back to
 * the offline model's generic rules (it explains what it can do).
 */
export const architectOfflinePolicy: OfflinePolicy = ({ messages }) => {
  const userIndex = findLastIndex(messages, (m) => HumanMessage.isInstance(m));
  if (userIndex < 0) return undefined;
  const turn = messages.slice(userIndex + 1);
  const teamResult = turn.filter((m): m is ToolMessage => ToolMessage.isInstance(m) && m.name === CONSULT_DATA_SCIENCE_TEAM).at(-1);
  if (teamResult) return answerFromReport(teamResult);
  if (turn.some((m) => ToolMessage.isInstance(m))) return undefined;

  const question = messages[userIndex].text;
  const words = question.toLowerCase().match(/[a-z]+/g) ?? [];
  if (!words.some((w) => ANALYSIS_KEYWORDS.has(w))) return undefined;
  const hours = parseTimeWindowHours(question);
  return {
    kind: 'tool_calls',
    calls: [
      {
        name: CONSULT_DATA_SCIENCE_TEAM,
        args: { query: question, ...(hours !== undefined ? { hours: Math.min(720, Math.max(1, Math.round(hours))) } : {}) },
      },
    ],
  };
};

function answerFromReport(result: ToolMessage): OfflineDecision {
  if (result.status === 'error') {
    return { kind: 'text', text: `I could not get an analysis from the data science team: ${result.text}` };
  }
  return {
    kind: 'text',
    text: `I asked the data science team to analyse your Home Assistant history. Their report:\n\n${result.text}\n\nThe figures above are computed from your meters' recorded history.`,
  };
}

function findLastIndex(messages: readonly BaseMessage[], predicate: (m: BaseMessage) => boolean): number {
  for (let i = messages.length - 1; i >= 0; i -= 1) if (predicate(messages[i])) return i;
  return -1;
}
