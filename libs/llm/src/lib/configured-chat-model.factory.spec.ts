import { ConfigError, loadConfig } from '@aether/config';
import { ChatOpenAI } from '@langchain/openai';
import { OFFLINE_MODEL_ID } from './llm-profile';
import { ConfiguredChatModelFactory } from './configured-chat-model.factory';
import { NO_API_KEY, OPENAI_DEFAULT_BASE_URL, type LlmConfig } from './llm-connection';
import { OfflineChatModel } from './offline/offline-chat-model';

function llm(env: Record<string, string>): LlmConfig {
  return loadConfig(env).llm;
}

const vllm = { LLM_BASE_URL: 'http://127.0.0.1:9/v1', LLM_MODEL: 'qwen2.5-7b' };

describe('ConfiguredChatModelFactory', () => {
  describe('without an LLM configured', () => {
    const factory = new ConfiguredChatModelFactory(llm({}));

    it('is offline and lists only aether-offline', () => {
      expect(factory.provider).toBe('offline');
      expect(factory.listModels()).toEqual([OFFLINE_MODEL_ID]);
      expect(factory.describe()).toContain('aether-offline');
    });

    it('hands out the offline model whatever model is requested', () => {
      const model = factory.create('architect', { requestedModel: 'gpt-4o', temperature: 0.7 });
      expect(model).toBeInstanceOf(OfflineChatModel);
      expect(factory.resolveModel('architect', 'gpt-4o')).toBe(OFFLINE_MODEL_ID);
    });

    it('gives the offline model the agent policy and name', async () => {
      const model = factory.create('librarian', { offlinePolicy: () => ({ kind: 'text', text: 'Catalog ready.' }) });
      expect((await model.invoke('hi')).text).toBe('Catalog ready.');
      const plain = factory.create('librarian');
      expect((await plain.invoke('hi')).text).toContain("I'm Aether's Librarian");
    });
  });

  describe('incomplete settings fail at construction, naming the variable to set', () => {
    it.each([
      [{ LLM_BASE_URL: 'http://127.0.0.1:11434/v1' }, 'LLM_MODEL'],
      [{ LLM_API_KEY: 'sk-test' }, 'LLM_MODEL'],
      [{ LLM_BASE_URL: 'http://127.0.0.1:11434/v1', ARCHITECT_MODEL: 'llama3.1' }, 'LLM_MODEL'],
      [{ LLM_MODEL: 'gpt-4o-mini' }, 'LLM_BASE_URL'],
      [{ DS_ANALYSTS_MODEL: 'gpt-4o' }, 'DS_ANALYSTS_MODEL'],
    ])('%j → %s', (env, variable) => {
      const construct = () => new ConfiguredChatModelFactory(llm(env));
      expect(construct).toThrow(ConfigError);
      expect(construct).toThrow(expect.objectContaining({ variable }));
    });
  });

  describe('with an OpenAI-compatible server', () => {
    it('uses OpenAI itself when only the key and model are set', () => {
      const factory = new ConfiguredChatModelFactory(llm({ LLM_API_KEY: 'sk-test', LLM_MODEL: 'gpt-4o-mini' }));
      expect(factory.connection).toMatchObject({ provider: 'openai-compatible', baseUrl: OPENAI_DEFAULT_BASE_URL });
      const model = factory.create('architect') as ChatOpenAI;
      expect(model.clientConfig.baseURL).toBe(OPENAI_DEFAULT_BASE_URL);
      expect(model.apiKey).toBe('sk-test');
    });

    it('sends a placeholder key to a server configured without one, never OPENAI_API_KEY', () => {
      const factory = new ConfiguredChatModelFactory(llm(vllm));
      const model = factory.create('architect') as ChatOpenAI;
      expect(model.apiKey).toBe(NO_API_KEY);
      expect(model.clientConfig.baseURL).toBe(vllm.LLM_BASE_URL);
      expect(factory.describe()).toBe(`LLM: OpenAI-compatible API at ${vllm.LLM_BASE_URL}, model qwen2.5-7b, no API key`);
    });

    it('builds ChatOpenAI models with model, temperature and streamed usage', () => {
      const factory = new ConfiguredChatModelFactory(llm({ ...vllm, LLM_TEMPERATURE: '0.3' }));
      const model = factory.create('developer') as ChatOpenAI;
      expect(model).toBeInstanceOf(ChatOpenAI);
      expect(model).toMatchObject({ model: 'qwen2.5-7b', temperature: 0.3, streamUsage: true, disableStreaming: false });
      expect((factory.create('developer', { temperature: 0 }) as ChatOpenAI).temperature).toBe(0);
    });

    it('picks the requested model, else the agent override, else LLM_MODEL', () => {
      const factory = new ConfiguredChatModelFactory(llm({ ...vllm, ARCHITECT_MODEL: 'llama3.1-70b' }));
      expect(factory.resolveModel('librarian')).toBe('qwen2.5-7b');
      expect(factory.resolveModel('architect')).toBe('llama3.1-70b');
      // Requesting the default model means "no preference": the agent override still applies.
      expect(factory.resolveModel('architect', 'qwen2.5-7b')).toBe('llama3.1-70b');
      expect(factory.resolveModel('architect', 'mistral-large')).toBe('mistral-large');
      expect(factory.resolveModel('librarian', 'mistral-large')).toBe('mistral-large');
      expect(factory.resolveModel('architect', '  ')).toBe('llama3.1-70b');
      expect(factory.resolveModel('librarian', OFFLINE_MODEL_ID)).toBe('qwen2.5-7b');
      expect((factory.create('architect', { requestedModel: 'mistral-large' }) as ChatOpenAI).model).toBe('mistral-large');
    });

    it('lists LLM_MODEL and the per-agent overrides once each', () => {
      const factory = new ConfiguredChatModelFactory(
        llm({ ...vllm, ARCHITECT_MODEL: 'llama3.1-70b', DEVELOPER_MODEL: 'qwen2.5-7b', DS_ANALYSTS_MODEL: 'llama3.1-70b' }),
      );
      expect(factory.provider).toBe('openai-compatible');
      expect(factory.listModels()).toEqual(['qwen2.5-7b', 'llama3.1-70b']);
    });

    it('caches instances per agent, model and temperature', () => {
      const factory = new ConfiguredChatModelFactory(llm(vllm));
      const model = factory.create('architect');
      expect(factory.create('architect')).toBe(model);
      expect(factory.create('architect', { requestedModel: 'qwen2.5-7b' })).toBe(model);
      expect(factory.create('architect', { temperature: 0 })).not.toBe(model);
      expect(factory.create('architect', { temperature: 0 })).toBe(factory.create('architect', { temperature: 0 }));
      expect(factory.create('librarian')).not.toBe(model);
      expect(factory.create('architect', { requestedModel: 'other' })).not.toBe(model);
    });
  });
});
