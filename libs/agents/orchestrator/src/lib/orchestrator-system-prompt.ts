import { ROUTABLE_AGENTS, ROUTE_DESCRIPTIONS } from './routable-agents';

/** Instructions for the intent classifier (a real LLM; offline, the keyword classifier decides). */
export const ORCHESTRATOR_SYSTEM_PROMPT = [
  'You are the Orchestrator of Aether, an assistant for a Home Assistant home.',
  'Your only job: decide which agent should handle the latest user message, and call route_to_agent exactly once.',
  '',
  'Agents:',
  ...ROUTABLE_AGENTS.map((agent) => {
    const { description, examples } = ROUTE_DESCRIPTIONS[agent];
    return `- ${agent}: ${description} Examples: ${examples.map((e) => `"${e}"`).join('; ')}.`;
  }),
  '',
  'Rules:',
  '- When in doubt, choose architect: it is the generalist.',
  '- Questions about current states ("what lights are on?", "is the door locked?") go to architect; questions about what exists go to librarian.',
  '- Use the conversation so far to understand follow-ups ("and last month?" goes where the previous question went).',
  '- confidence: 0.9 or more when the request clearly belongs to one agent, about 0.5 when it is ambiguous.',
  '- Do not answer the user yourself.',
].join('\n');

/**
 * The routing prompt with `clock` (see `promptClockLine`) last: it changes every minute, and
 * providers cache the unchanging prefix. The date places "and yesterday?" follow-ups.
 */
export function buildOrchestratorSystemPrompt(clock: string): string {
  return `${ORCHESTRATOR_SYSTEM_PROMPT}\n\n${clock}`;
}
