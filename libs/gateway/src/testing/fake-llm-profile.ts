import { LlmProfile } from '@aether/llm';

/** Lists models like the real profile. */
export class FakeLlmProfile extends LlmProfile {
  constructor(
    private readonly models: string[] = ['aether-offline'],
    readonly provider: LlmProfile['provider'] = 'offline',
  ) {
    super();
  }

  listModels(): string[] {
    return [...this.models];
  }

  describe(): string {
    return `LLM: fake ${this.provider} profile`;
  }

  resolveModel(): string {
    return this.models[0] ?? 'aether-offline';
  }
}
