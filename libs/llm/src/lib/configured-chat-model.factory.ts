import { agentDescriptor, type AgentName } from '@aether/core';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOpenAI } from '@langchain/openai';
import { ChatModelFactory, type ChatModelOptions } from './chat-model-factory';
import { ConfiguredLlmProfile } from './llm-profile';
import { NO_API_KEY, type LlmConfig, type LlmConnection } from './llm-connection';
import { OfflineChatModel } from './offline/offline-chat-model';
import { ModelUsageCallback } from './usage/model-usage.callback';
import { createResilientFetch, ProviderBreakers, type ModelCallObserver } from './resilience/resilient-fetch';

/**
 * The SDK's own per-request timeout (default 600 s), set out of the way: `createResilientFetch`
 * bounds every attempt (LLM_*_TIMEOUT_MS), and this one would cut retries and fail-over short.
 */
const SDK_TIMEOUT_MS = 2_000_000_000;

/**
 * The `ChatModelFactory` driven by `config.llm`. Usable without Nest:
 * `new ConfiguredChatModelFactory(loadConfig().llm)`.
 * Throws `ConfigError` on construction when the LLM settings are incomplete (see `resolveLlmConnection`).
 */
export class ConfiguredChatModelFactory extends ChatModelFactory {
  private readonly profile: ConfiguredLlmProfile;
  readonly provider: 'openai-compatible' | 'offline';
  readonly connection: LlmConnection;
  /** ChatOpenAI instances are stateless per call, so agents share them per (agent, model, temperature). */
  private readonly models = new Map<string, ChatOpenAI>();
  /** Every model call goes through it: timeouts, retries, a breaker per provider model, fail-over. */
  private readonly fetch?: ReturnType<typeof createResilientFetch>;

  /** `observer` sees breaker changes, retries, fail-overs and trims (Prometheus in `LlmModule`). */
  constructor(
    llm: LlmConfig,
    private readonly observer?: ModelCallObserver,
  ) {
    super();
    this.profile = new ConfiguredLlmProfile(llm);
    this.connection = this.profile.connection;
    this.provider = this.profile.provider;
    const connection = this.connection;
    if (connection.provider === 'openai-compatible') {
      this.fetch = createResilientFetch({
        settings: connection.calls,
        fallbacks: connection.fallbacks,
        observer,
        breakers: new ProviderBreakers(connection.calls, observer),
      });
    }
  }

  override get forceToolChoice(): boolean {
    return this.connection.provider === 'offline' || this.connection.forceToolChoice;
  }

  listModels(): string[] {
    return this.profile.listModels();
  }

  resolveModel(agent: AgentName, requestedModel?: string): string {
    return this.profile.resolveModel(agent, requestedModel);
  }

  create(agent: AgentName, options: ChatModelOptions = {}): BaseChatModel {
    const connection = this.connection;
    if (connection.provider === 'offline') {
      // Cheap and stateless; not cached because each agent passes its own policy.
      return new OfflineChatModel({ policy: options.offlinePolicy, agentLabel: agentDescriptor(agent).label });
    }

    const model = this.resolveModel(agent, options.requestedModel);
    const temperature = options.temperature ?? connection.temperature;
    const key = JSON.stringify([agent, model, temperature ?? null]);
    let chatModel = this.models.get(key);
    if (!chatModel) {
      chatModel = new ChatOpenAI({
        model,
        apiKey: connection.apiKey ?? NO_API_KEY,
        configuration: { baseURL: connection.baseUrl, fetch: this.fetch },
        ...(temperature !== undefined ? { temperature } : {}),
        // `streaming` stays unset (false, but not `disableStreaming`): tokens still stream wherever
        // someone listens — `.stream()`, and `invoke()` under LangGraph's `streamMode: 'messages'` or
        // `streamEvents`, whose handlers prefer streaming. With `streaming: true` a plain `invoke()`
        // would stream too and then estimate token counts with tiktoken, which downloads its
        // encodings from tiktoken.pages.dev — a stall or failure for offline and self-hosted setups.
        // Non-streamed calls get exact usage from the server instead.
        // Ask for usage in streamed responses (`stream_options.include_usage`).
        streamUsage: true,
        // Retries and timeouts are the resilient fetch's (LangChain's own retries would multiply them).
        maxRetries: 0,
        timeout: SDK_TIMEOUT_MS,
        // The provider's usage of each call travels to the gateway as a `usage` event.
        callbacks: [new ModelUsageCallback(agent, model, this.observer)],
      });
      this.models.set(key, chatModel);
    }
    return chatModel;
  }

  describe(): string {
    return this.profile.describe();
  }
}
