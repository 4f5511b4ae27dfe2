import type { AgentName } from '@aether/core';
import { resolveLlmConnection, type LlmConfig, type LlmConnection } from './llm-connection';

/** Id of the deterministic built-in model used when no LLM is configured. */
export const OFFLINE_MODEL_ID = 'aether-offline';

/**
 * What a process can say about its LLM without loading a model client: the provider, the model ids
 * clients may request, one line for logs and health. The gateway needs only this; the agents that
 * ask a model get `ChatModelFactory`, which extends it (and loads LangChain). Used as a DI token.
 */
export abstract class LlmProfile {
  abstract readonly provider: 'openai-compatible' | 'offline';
  /** Model ids clients may request (GET /v1/models). */
  abstract listModels(): string[];
  /** One line for the startup log and health output; never includes the API key. */
  abstract describe(): string;
  /**
   * The model `agent` uses: the client's requested model when it names something other than the
   * default `LLM_MODEL`, else the agent's `<AGENT>_MODEL`, else `LLM_MODEL`. A request for
   * `aether-offline` while an LLM is configured (a client remembering an earlier offline run) counts
   * as no request. Offline, always `aether-offline`.
   */
  abstract resolveModel(agent: AgentName, requestedModel?: string): string;
}

/** The profile of `config.llm`. Throws `ConfigError` when the LLM settings are incomplete. */
export class ConfiguredLlmProfile extends LlmProfile {
  readonly provider: 'openai-compatible' | 'offline';
  readonly connection: LlmConnection;

  constructor(llm: LlmConfig) {
    super();
    this.connection = resolveLlmConnection(llm);
    this.provider = this.connection.provider;
  }

  listModels(): string[] {
    return listConnectionModels(this.connection);
  }

  describe(): string {
    return describeConnection(this.connection);
  }

  resolveModel(agent: AgentName, requestedModel?: string): string {
    const connection = this.connection;
    if (connection.provider === 'offline') return OFFLINE_MODEL_ID;
    const requested = requestedModel?.trim();
    if (requested && requested !== connection.defaultModel && requested !== OFFLINE_MODEL_ID) return requested;
    return connection.agentModels[agent] ?? connection.defaultModel;
  }
}

function listConnectionModels(connection: LlmConnection): string[] {
  if (connection.provider === 'offline') return [OFFLINE_MODEL_ID];
  return [...new Set([connection.defaultModel, ...Object.values(connection.agentModels)])];
}

function describeConnection(connection: LlmConnection): string {
  if (connection.provider === 'offline') {
    return (
      `LLM: built-in ${OFFLINE_MODEL_ID} model (deterministic rules; ` +
      'set LLM_BASE_URL/LLM_API_KEY and LLM_MODEL to use a real model)'
    );
  }
  const overrides = Object.entries(connection.agentModels).map(([agent, model]) => `${agent}=${model}`);
  return (
    `LLM: OpenAI-compatible API at ${connection.baseUrl}, model ${connection.defaultModel}` +
    (overrides.length > 0 ? ` (per agent: ${overrides.join(', ')})` : '') +
    (connection.apiKey === undefined ? ', no API key' : '')
  );
}
