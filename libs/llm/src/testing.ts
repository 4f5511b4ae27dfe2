/** Test doubles for code that depends on a model (import from `@aether/llm/testing`). */
export { FixedModelFactory } from './testing/fixed-model.factory';
export { startFakeOpenAiServer, providerError, compatibilityViolations, type FakeOpenAiServer, type FakeOpenAiServerOptions, type RecordedRequest, type ScriptedReply, type WithUsage } from './testing/fake-openai-server';
export { UTILITY_PROMPTS, LIBRECHAT_TITLE, OPEN_WEBUI_TITLE, OPEN_WEBUI_TAGS, OPEN_WEBUI_FOLLOW_UPS, CHAT_HISTORY, type UtilityPromptFixture } from './testing/utility-prompts';
