import type { AgentName } from '@aether/core';
import { agentModelEnv, ConfigError, DEFAULT_LLM_CALL_SETTINGS, type AetherConfig, type LlmCallSettings } from '@aether/config';

export type LlmConfig = AetherConfig['llm'];

/** OpenAI's API, used when only `LLM_API_KEY` names a server. */
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * Sent as the bearer token when `LLM_BASE_URL` is set without `LLM_API_KEY` (Ollama, vLLM and other
 * local servers need none, but the OpenAI client insists on one). Explicit so that an unrelated
 * `OPENAI_API_KEY` in the environment is never sent to a self-hosted server.
 */
export const NO_API_KEY = 'no-api-key';

/** Where chat models come from, resolved once from `config.llm`. */
export type LlmConnection =
  | { provider: 'offline' }
  | {
      provider: 'openai-compatible';
      baseUrl: string;
      /** Undefined for servers that need no key. */
      apiKey?: string;
      defaultModel: string;
      agentModels: Partial<Record<AgentName, string>>;
      temperature?: number;
      /** Routing forces its tool with `tool_choice` (`LLM_FORCE_TOOL_CHOICE`). */
      forceToolChoice: boolean;
      /** `LLM_FALLBACK_MODELS`, resolved: a model without `@baseUrl` is on `baseUrl`. */
      fallbacks: Array<{ model: string; baseUrl: string }>;
      calls: LlmCallSettings;
    };

/**
 * Decides between a real server and the offline model, and rejects half-finished setups with a
 * `ConfigError` naming the variable to set:
 * - nothing set → offline;
 * - `LLM_BASE_URL` and/or `LLM_API_KEY` with `LLM_MODEL` → that server (OpenAI when only the key is set;
 *   no key sent beyond a placeholder when only the URL is set, as for Ollama or vLLM);
 * - `LLM_BASE_URL` or `LLM_API_KEY` without `LLM_MODEL` → error naming `LLM_MODEL` (no guessing a model);
 * - `LLM_MODEL` or an `<AGENT>_MODEL` without a server → error naming `LLM_BASE_URL`.
 */
export function resolveLlmConnection(llm: LlmConfig): LlmConnection {
  const serverConfigured = llm.baseUrl !== undefined || llm.apiKey !== undefined;
  const overrides = Object.entries(llm.agentModels) as Array<[AgentName, string]>;

  if (!serverConfigured) {
    if (llm.model !== undefined) {
      throw new ConfigError(
        'LLM_BASE_URL',
        `LLM_MODEL=${llm.model} is set but no server is: set LLM_BASE_URL to an OpenAI-compatible API ` +
          '(and LLM_API_KEY if it needs one), or LLM_API_KEY alone for OpenAI — ' +
          'or unset LLM_MODEL to use the offline model',
      );
    }
    if (overrides.length > 0) {
      const [agent, model] = overrides[0];
      throw new ConfigError(
        agentModelEnv(agent),
        `${agentModelEnv(agent)}=${model} is set but no LLM is configured: ` +
          'set LLM_BASE_URL/LLM_API_KEY and LLM_MODEL, ' +
          `or unset ${agentModelEnv(agent)} to use the offline model`,
      );
    }
    return { provider: 'offline' };
  }

  if (llm.model === undefined) {
    const given = llm.baseUrl !== undefined ? `LLM_BASE_URL=${llm.baseUrl}` : 'LLM_API_KEY';
    throw new ConfigError(
      'LLM_MODEL',
      `${given} is set, so a default model is required: set LLM_MODEL (e.g. gpt-4o-mini, llama3.1)`,
    );
  }

  const baseUrl = llm.baseUrl ?? OPENAI_DEFAULT_BASE_URL;
  return {
    provider: 'openai-compatible',
    baseUrl,
    apiKey: llm.apiKey,
    defaultModel: llm.model,
    agentModels: { ...llm.agentModels },
    temperature: llm.temperature,
    forceToolChoice: llm.forceToolChoice ?? true,
    fallbacks: (llm.fallbackModels ?? []).map((entry) => {
      const at = entry.indexOf('@');
      return at > 0 ? { model: entry.slice(0, at), baseUrl: entry.slice(at + 1).replace(/\/+$/, '') } : { model: entry, baseUrl };
    }),
    calls: { ...DEFAULT_LLM_CALL_SETTINGS, ...llm.calls },
  };
}
