import type { AgentName } from '@aether/core';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatModelFactory, type ChatModelOptions } from '../lib/chat-model-factory';

/** Test double: hands every agent the given model and records what each asked for. */
export class FixedModelFactory extends ChatModelFactory {
  readonly provider = 'openai-compatible' as const;
  readonly requests: Array<{ agent: AgentName; options?: ChatModelOptions }> = [];

  constructor(private readonly model: BaseChatModel) {
    super();
  }

  listModels(): string[] {
    return ['test-model'];
  }

  describe(): string {
    return 'LLM: a fixed test model';
  }

  resolveModel(): string {
    return 'test-model';
  }

  create(agent: AgentName, options?: ChatModelOptions): BaseChatModel {
    this.requests.push({ agent, options });
    return this.model;
  }
}
