import type { OfflinePolicy } from '@aether/llm';
import { HumanMessage } from '@langchain/core/messages';
import { classifyIntentByKeywords } from './keyword-intent.classifier';
import { ROUTE_TO_AGENT } from './route-to-agent.tool';

/** Offline, classification is the keyword classifier, answered as the same tool call a model makes. */
export const orchestratorOfflinePolicy: OfflinePolicy = ({ messages }) => {
  const lastUser = messages.filter((m) => HumanMessage.isInstance(m)).at(-1);
  if (!lastUser) return undefined;
  return { kind: 'tool_calls', calls: [{ name: ROUTE_TO_AGENT, args: { ...classifyIntentByKeywords(lastUser.text) } }] };
};
