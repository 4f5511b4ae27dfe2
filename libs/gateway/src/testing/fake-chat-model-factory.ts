import { ChatModelFactory } from '@aether/llm';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';

/** Lists models like the real factory; the gateway never creates one, so `create` refuses. */
export class FakeChatModelFactory extends ChatModelFactory {
  constructor(
    private readonly models: string[] = ['aether-offline'],
    readonly provider: ChatModelFactory['provider'] = 'offline',
  ) {
    super();
  }

  listModels(): string[] {
    return [...this.models];
  }

  create(): BaseChatModel {
    throw new Error('the gateway must not create chat models');
  }
}
