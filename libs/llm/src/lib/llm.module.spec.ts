import { AetherConfigModule, ConfigError, loadConfig } from '@aether/config';
import { Test } from '@nestjs/testing';
import { ChatModelFactory } from './chat-model-factory';
import { LlmProfile, OFFLINE_MODEL_ID } from './llm-profile';
import { LlmModule } from './llm.module';

async function factoryFor(env: Record<string, string>): Promise<ChatModelFactory> {
  const moduleRef = await Test.createTestingModule({
    imports: [AetherConfigModule.forRoot(loadConfig(env)), LlmModule.forRoot()],
  }).compile();
  return moduleRef.get(ChatModelFactory);
}

describe('LlmModule', () => {
  it('provides the offline factory when no LLM is configured', async () => {
    const factory = await factoryFor({});
    expect(factory.provider).toBe('offline');
    expect(factory.listModels()).toEqual([OFFLINE_MODEL_ID]);
  });

  it('provides the OpenAI-compatible factory from AETHER_CONFIG', async () => {
    const factory = await factoryFor({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MODEL: 'llama3.1' });
    expect(factory.provider).toBe('openai-compatible');
    expect(factory.listModels()).toEqual(['llama3.1']);
  });

  it('provides only the profile, never loading a model client, without chatModels', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AetherConfigModule.forRoot(loadConfig({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MODEL: 'llama3.1' })), LlmModule.forRoot({ chatModels: false })],
    }).compile();
    const profile = moduleRef.get(LlmProfile);
    expect(profile.provider).toBe('openai-compatible');
    expect(profile.listModels()).toEqual(['llama3.1']);
    expect(profile.describe()).toBe('LLM: OpenAI-compatible API at http://127.0.0.1:11434/v1, model llama3.1, no API key');
    expect(() => moduleRef.get(ChatModelFactory)).toThrow();
  });

  it('fails at startup on incomplete LLM settings', async () => {
    await expect(factoryFor({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1' })).rejects.toThrow(ConfigError);
  });
});
