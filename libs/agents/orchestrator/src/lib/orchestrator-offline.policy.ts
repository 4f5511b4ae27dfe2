import type { OfflinePolicy } from '@aether/llm';
import { HumanMessage } from '@langchain/core/messages';
import { classifyIntentByKeywords } from './keyword-intent.classifier';
import { ROUTE_TO_AGENT } from './route-to-agent.tool';

/**
 * Offline, classification is the keyword classifier, answered as the same tool call a model makes.
 * The earlier user turns (the history the orchestrator sends) place follow-ups.
 */
export const orchestratorOfflinePolicy: OfflinePolicy = ({ messages }) => {
  const userTexts = messages.filter((m) => HumanMessage.isInstance(m)).map((m) => m.text);
  const lastUser = userTexts.at(-1);
  if (lastUser === undefined) return undefined;
  return { kind: 'tool_calls', calls: [{ name: ROUTE_TO_AGENT, args: { ...classifyIntentByKeywords(lastUser, userTexts.slice(0, -1)) } }] };
};
