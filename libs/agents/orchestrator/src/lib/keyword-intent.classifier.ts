import { truncate } from '@aether/core';
import { periodOnlyFollowUpHours } from '@aether/llm';
import { DEFAULT_ROUTE, ROUTABLE_AGENTS, type RoutableAgent } from './routable-agents';
import type { RouteToAgentArgs } from './route-to-agent.tool';

/** Words that describe an entity's current state ("on", "locked"): questions about them are state questions. */
const STATE_WORD = '(?:on|off|open|closed|locked|unlocked|running|playing|paused|home|away)';
/** "… are on", "… is currently locked": what follows a noun when the question is about its state. */
const STATE_PREDICATE = `\\s+(?:are|is)\\s+(?:currently\\s+|still\\s+|now\\s+)?${STATE_WORD}\\b`;

/**
 * Phrases that point at each agent. Specific agents list phrases that only make sense for them;
 * the architect's words are the home/energy/automation vocabulary and questions about current
 * states ("what lights are on?" is a state question for the Architect's live catalog tools, while
 * "what lights do I have?" is an inventory question for the Librarian).
 */
export const INTENT_SIGNALS: Readonly<Record<RoutableAgent, ReadonlyArray<{ label: string; pattern: RegExp }>>> = {
  'dashboard-designer': [
    { label: 'dashboard', pattern: /\bdashboards?\b/ },
    { label: 'design a dashboard', pattern: /\b(?:design|build|make|create|set\s+up)\b.*\bdashboards?\b/ },
    { label: 'lovelace', pattern: /\blovelace\b/ },
    { label: 'ui layout', pattern: /\b(?:ui|screen)\s+layouts?\b/ },
    { label: 'card', pattern: /\b(?:add|create|make|design)\b.*\bcards?\b/ },
  ],
  librarian: [
    { label: 'what devices', pattern: new RegExp(`\\b(?:what|which)\\s+(?:devices|entities|sensors|lights|switches|areas|rooms|integrations)\\b(?!${STATE_PREDICATE})`) },
    { label: 'do I have', pattern: /\bdo\s+i\s+(?:have|own)\b/ },
    { label: 'list', pattern: /\b(?:list|show|find)\s+(?:me\s+)?(?:all\s+)?(?:of\s+)?(?:my|the)?\s*(?:devices|entities|sensors|areas|rooms|integrations)\b/ },
    { label: 'how many', pattern: new RegExp(`\\bhow\\s+many\\s+(?:devices|entities|sensors|lights|switches)\\b(?!${STATE_PREDICATE})`) },
    { label: 'discover', pattern: /\bdiscover\w*\b/ },
    { label: 'inventory', pattern: /\b(?:inventory|catalog(?:ue)?)\b/ },
  ],
  architect: [
    { label: 'energy', pattern: /\b(?:energy|electricity|power|kwh|consumption|consum\w+|usage|tariff|bill)\b/ },
    { label: 'uses the most', pattern: /\b(?:use|uses|used|using|consumes?)\s+(?:the\s+)?(?:most|least|more|less)\b/ },
    { label: 'analysis', pattern: /\banaly[sz]\w*\b|\b(?:patterns?|trends?|insights?)\b/ },
    { label: 'automation', pattern: /\b(?:automat\w*|scenes?|scripts?|schedules?|routines?)\b/ },
    { label: 'habits', pattern: /\bby\s+hand\b|\bmanually\b|\bhabits?\b/ },
    { label: 'diagnosis', pattern: /\b(?:unavailable|offline|diagnos\w*|troubleshoot\w*|failing|stale)\b|\bnot\s+working\b|\blow\s+batter(?:y|ies)\b/ },
    { label: 'control', pattern: /\b(?:turn|switch)\s+(?:on|off)\b|\b(?:dim|heating|thermostat)\b/ },
    {
      label: 'current state',
      pattern: new RegExp(
        [
          `^\\s*(?:is|are)\\s+(?:the\\s+|my\\s+|any\\s+|all\\s+)?[a-z' ]+?\\s+(?:currently\\s+|still\\s+|now\\s+)?${STATE_WORD}\\b`,
          `\\b(?:what|which)\\s+[a-z]+(?:\\s+[a-z]+)?${STATE_PREDICATE}`,
          `\\bhow\\s+many\\s+[a-z]+${STATE_PREDICATE}`,
        ].join('|'),
      ),
    },
    {
      label: 'measurement',
      pattern: /\bwhat(?:'s|’s|\s+is)\s+the\s+(?:[a-z]+\s+)*?(?:temperature|humidity)\b|\bhow\s+(?:warm|cold|hot|humid)\s+is\b/,
    },
  ],
};

/** Specific agents win ties against the generalist. */
const TIE_ORDER: readonly RoutableAgent[] = ['dashboard-designer', 'librarian', 'architect'];

/**
 * The offline classifier: counts each agent's matching phrases. Confidence grows with the winner's
 * lead over the runner-up (0.7 for one clear phrase, up to 0.95); a tie gives a low confidence.
 * A message with no evidence that names only a period ("and yesterday?") is a follow-up: it goes
 * where the question it continues went (found in `earlierUserMessages`, oldest first), else to the
 * generalist; anything else without evidence goes to the generalist with a low confidence.
 */
export function classifyIntentByKeywords(message: string, earlierUserMessages: readonly string[] = []): RouteToAgentArgs {
  const route = classifyByEvidence(message);
  if (route) return route;
  if (periodOnlyFollowUpHours(message) !== undefined) return routeFollowUp(earlierUserMessages);
  return { agent: DEFAULT_ROUTE, confidence: 0.5, reason: 'No specific intent recognised; the Architect handles general home questions.' };
}

function classifyByEvidence(message: string): RouteToAgentArgs | undefined {
  const text = message.toLowerCase();
  const evidence = ROUTABLE_AGENTS.map((agent) => ({
    agent,
    matched: INTENT_SIGNALS[agent].filter((signal) => signal.pattern.test(text)).map((signal) => signal.label),
  })).sort((a, b) => b.matched.length - a.matched.length || TIE_ORDER.indexOf(a.agent) - TIE_ORDER.indexOf(b.agent));

  const [best, runnerUp] = evidence;
  if (best.matched.length === 0) return undefined;
  const lead = best.matched.length - runnerUp.matched.length;
  const confidence = Math.min(0.95, Math.max(0.3, 0.55 + 0.15 * lead));
  return {
    agent: best.agent,
    confidence: Math.round(confidence * 100) / 100,
    reason: `Keyword evidence: ${best.matched.map((m) => `"${m}"`).join(', ')}${runnerUp.matched.length > 0 ? ` (also ${runnerUp.agent}: ${runnerUp.matched.map((m) => `"${m}"`).join(', ')})` : ''}.`,
  };
}

/** Routes a period-only follow-up like the question it continues (looking back past earlier follow-ups). */
function routeFollowUp(earlierUserMessages: readonly string[]): RouteToAgentArgs {
  for (let i = earlierUserMessages.length - 1; i >= 0; i -= 1) {
    const earlier = earlierUserMessages[i];
    if (periodOnlyFollowUpHours(earlier) !== undefined) continue;
    const previous = classifyByEvidence(earlier);
    if (!previous) break;
    return {
      agent: previous.agent,
      confidence: FOLLOW_UP_CONFIDENCE,
      reason: `Follow-up naming only a period: it continues the previous question "${truncate(earlier, 80)}", routed to ${previous.agent} (${previous.reason.replace(/\.$/, '')}).`,
    };
  }
  return {
    agent: DEFAULT_ROUTE,
    confidence: FOLLOW_UP_CONFIDENCE,
    reason: 'Follow-up naming only a period: the Architect answers it in the context of the conversation.',
  };
}

/** A follow-up has no evidence of its own, only the conversation's. */
const FOLLOW_UP_CONFIDENCE = 0.6;
