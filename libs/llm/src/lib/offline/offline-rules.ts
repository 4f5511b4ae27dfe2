import type { ToolChoice } from '@langchain/core/language_models/chat_models';
import { HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import type { OfflineDecision, OfflinePolicy } from '../chat-model-factory';
import { capabilitiesAnswer, toolResultsAnswer } from './answers';
import type { OfflineToolSpec } from './bound-tools';
import { lastUserText, toolResultsOfTurn } from './conversation';
import { deriveToolArguments } from './tool-arguments';
import { scoreTools, TOOL_MATCH_THRESHOLD } from './tool-matcher';

export interface OfflineDecisionInput {
  messages: readonly BaseMessage[];
  tools: readonly OfflineToolSpec[];
  /** The `tool_choice` call option, as LangChain passes it. */
  toolChoice?: ToolChoice;
  policy?: OfflinePolicy;
  /** Who is answering, for the capabilities answer ("Architect"). */
  agentLabel?: string;
}

type NormalisedToolChoice = { mode: 'auto' } | { mode: 'none' } | { mode: 'any' } | { mode: 'tool'; name: string };

/**
 * What the offline model does next. The agent's policy decides first; when it has no opinion the
 * generic rules apply:
 * - after tool results → an answer quoting the results of this turn;
 * - after a user message that matches a bound tool by keywords → a call of that tool with arguments
 *   derived from its schema;
 * - otherwise → a plain statement of what this agent can do.
 * Pure: the same input always yields the same decision.
 */
export function decideOfflineResponse(input: OfflineDecisionInput): OfflineDecision {
  const { messages, tools } = input;
  const toolChoice = normaliseToolChoice(input.toolChoice);

  if (input.policy) {
    const structuredTools = tools.map((t) => t.tool).filter((t): t is StructuredToolInterface => t !== undefined);
    const decision = input.policy({ messages: [...messages], tools: structuredTools });
    if (decision) return checkPolicyDecision(decision, tools);
  }

  const last = messages.at(-1);
  if (last && ToolMessage.isInstance(last)) {
    return { kind: 'text', text: toolResultsAnswer(toolResultsOfTurn(messages)) };
  }
  if (last && HumanMessage.isInstance(last) && toolChoice.mode !== 'none') {
    const call = chooseToolCall(lastUserText(messages), tools, toolChoice);
    if (call) return { kind: 'tool_calls', calls: [call] };
  }
  return { kind: 'text', text: capabilitiesAnswer(input.agentLabel, tools) };
}

function chooseToolCall(
  userText: string,
  tools: readonly OfflineToolSpec[],
  toolChoice: NormalisedToolChoice,
): { name: string; args: Record<string, unknown> } | undefined {
  if (toolChoice.mode === 'tool') {
    const spec = tools.find((t) => t.name === toolChoice.name);
    // The caller insists on this tool: call it with whatever could be derived.
    return spec ? { name: spec.name, args: deriveToolArguments(spec, userText).args } : undefined;
  }
  const ranked = scoreTools(userText, tools);
  const eligible = toolChoice.mode === 'any' ? ranked : ranked.filter((r) => r.score >= TOOL_MATCH_THRESHOLD);
  for (const { spec } of eligible) {
    const { args, complete } = deriveToolArguments(spec, userText);
    if (complete) return { name: spec.name, args };
  }
  if (toolChoice.mode === 'any' && ranked.length > 0) {
    const spec = ranked[0].spec;
    return { name: spec.name, args: deriveToolArguments(spec, userText).args };
  }
  return undefined;
}

function normaliseToolChoice(choice: ToolChoice | undefined): NormalisedToolChoice {
  if (choice === undefined || choice === 'auto') return { mode: 'auto' };
  if (choice === 'none') return { mode: 'none' };
  if (choice === 'any' || choice === 'required') return { mode: 'any' };
  if (typeof choice === 'string') return { mode: 'tool', name: choice };
  // OpenAI `{ type: 'function', function: { name } }`, Anthropic `{ type: 'tool' | 'any' | 'auto', name }`.
  const named = (choice['function'] as { name?: unknown } | undefined)?.name ?? choice['name'];
  if (typeof named === 'string') return { mode: 'tool', name: named };
  if (choice['type'] === 'any' || choice['type'] === 'required') return { mode: 'any' };
  if (choice['type'] === 'none') return { mode: 'none' };
  return { mode: 'auto' };
}

/** A policy naming a tool that is not bound is a bug in the agent; say so instead of looping. */
function checkPolicyDecision(decision: OfflineDecision, tools: readonly OfflineToolSpec[]): OfflineDecision {
  if (decision.kind !== 'tool_calls') return decision;
  if (decision.calls.length === 0) throw new Error('Offline policy returned a tool_calls decision without calls');
  const bound = new Set(tools.map((t) => t.name));
  for (const call of decision.calls) {
    if (!bound.has(call.name)) {
      throw new Error(
        `Offline policy called tool "${call.name}", which is not bound (bound: ${[...bound].join(', ') || 'none'})`,
      );
    }
  }
  return decision;
}
