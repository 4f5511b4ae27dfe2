import type { AgentName } from '@aether/core';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';

import { LlmProfile } from './llm-profile';

/** What the offline model does next: call tools, or answer with text. */
export type OfflineDecision =
  | { kind: 'tool_calls'; calls: Array<{ name: string; args: Record<string, unknown> }> }
  | { kind: 'text'; text: string };

/**
 * An agent's rules for the offline model — its "prompt" for a model that follows rules instead of
 * instructions. Return undefined to fall back to the model's generic rules.
 */
export type OfflinePolicy = (input: {
  messages: BaseMessage[];
  tools: readonly StructuredToolInterface[];
}) => OfflineDecision | undefined;

export interface ChatModelOptions {
  /** The model the client asked for (CallContext.model). */
  requestedModel?: string;
  temperature?: number;
  /** Used only by the offline model. */
  offlinePolicy?: OfflinePolicy;
}

/**
 * Hands each agent its chat model: `ChatOpenAI` against any OpenAI-compatible server when
 * `LLM_BASE_URL`/`LLM_API_KEY`/`LLM_MODEL` are set (per-agent `<AGENT>_MODEL` overrides), else the
 * deterministic `aether-offline` model. Used as a Nest DI token.
 */
export abstract class ChatModelFactory extends LlmProfile {
  /**
   * Whether calls that must use one tool (routing) force it with `tool_choice` (`LLM_FORCE_TOOL_CHOICE`,
   * default on). Callers fall back to an unforced call when the server rejects the parameter.
   */
  get forceToolChoice(): boolean {
    return true;
  }
  abstract create(agent: AgentName, options?: ChatModelOptions): BaseChatModel;
}
