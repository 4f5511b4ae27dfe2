/** Test doubles for code that depends on a model (import from `@aether/llm/testing`). */
export { FixedModelFactory } from './testing/fixed-model.factory';
export { startFakeOpenAiServer, type FakeOpenAiServer, type RecordedRequest, type ScriptedReply } from './testing/fake-openai-server';
