import { DEFAULT_ROUTE, ROUTABLE_AGENTS, type RoutableAgent } from './routable-agents';
import type { RouteToAgentArgs } from './route-to-agent.tool';

/**
 * Phrases that point at each agent. Specific agents list phrases that only make sense for them;
 * the architect's words are the home/energy/automation vocabulary.
 */
export const INTENT_SIGNALS: Readonly<Record<RoutableAgent, ReadonlyArray<{ label: string; pattern: RegExp }>>> = {
  'dashboard-designer': [
    { label: 'dashboard', pattern: /\bdashboards?\b/ },
    { label: 'lovelace', pattern: /\blovelace\b/ },
    { label: 'ui layout', pattern: /\b(?:ui|screen)\s+layouts?\b/ },
    { label: 'card', pattern: /\b(?:add|create|make|design)\b.*\bcards?\b/ },
  ],
  librarian: [
    { label: 'what devices', pattern: /\b(?:what|which)\s+(?:devices|entities|sensors|lights|switches|areas|rooms|integrations)\b/ },
    { label: 'do I have', pattern: /\bdo\s+i\s+(?:have|own)\b/ },
    { label: 'list', pattern: /\b(?:list|show|find)\s+(?:me\s+)?(?:all\s+)?(?:of\s+)?(?:my|the)?\s*(?:devices|entities|sensors|areas|rooms|integrations)\b/ },
    { label: 'how many', pattern: /\bhow\s+many\s+(?:devices|entities|sensors|lights|switches)\b/ },
    { label: 'discover', pattern: /\bdiscover\w*\b/ },
    { label: 'inventory', pattern: /\b(?:inventory|catalog(?:ue)?)\b/ },
  ],
  architect: [
    { label: 'energy', pattern: /\b(?:energy|electricity|power|kwh|consumption|consum\w+|usage|tariff|bill)\b/ },
    { label: 'uses the most', pattern: /\b(?:use|uses|used|using|consumes?)\s+(?:the\s+)?(?:most|least|more|less)\b/ },
    { label: 'analysis', pattern: /\banaly[sz]\w*\b|\b(?:patterns?|trends?|insights?)\b/ },
    { label: 'automation', pattern: /\b(?:automat\w*|scenes?|scripts?|schedules?|routines?)\b/ },
    { label: 'control', pattern: /\b(?:turn|switch)\s+(?:on|off)\b|\b(?:dim|heating|thermostat)\b/ },
  ],
};

/** Specific agents win ties against the generalist. */
const TIE_ORDER: readonly RoutableAgent[] = ['dashboard-designer', 'librarian', 'architect'];

/**
 * The offline classifier: counts each agent's matching phrases. Confidence grows with the winner's
 * lead over the runner-up (0.7 for one clear phrase, up to 0.95); a tie or no evidence at all gives
 * a low confidence, the latter routed to the generalist.
 */
export function classifyIntentByKeywords(message: string): RouteToAgentArgs {
  const text = message.toLowerCase();
  const evidence = ROUTABLE_AGENTS.map((agent) => ({
    agent,
    matched: INTENT_SIGNALS[agent].filter((signal) => signal.pattern.test(text)).map((signal) => signal.label),
  })).sort((a, b) => b.matched.length - a.matched.length || TIE_ORDER.indexOf(a.agent) - TIE_ORDER.indexOf(b.agent));

  const [best, runnerUp] = evidence;
  if (best.matched.length === 0) {
    return { agent: DEFAULT_ROUTE, confidence: 0.5, reason: 'No specific intent recognised; the Architect handles general home questions.' };
  }
  const lead = best.matched.length - runnerUp.matched.length;
  const confidence = Math.min(0.95, Math.max(0.3, 0.55 + 0.15 * lead));
  return {
    agent: best.agent,
    confidence: Math.round(confidence * 100) / 100,
    reason: `Keyword evidence: ${best.matched.map((m) => `"${m}"`).join(', ')}${runnerUp.matched.length > 0 ? ` (also ${runnerUp.agent}: ${runnerUp.matched.map((m) => `"${m}"`).join(', ')})` : ''}.`,
  };
}
