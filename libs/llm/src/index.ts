// The light face of the LLM library: what any process may import without loading LangChain's
// runtime or the OpenAI client. The model implementations are in `@aether/llm/models`, loaded by
// `LlmModule` only where an agent asks a model.
export * from './lib/llm-profile';
export * from './lib/chat-model-factory';
export * from './lib/llm-connection';
export * from './lib/llm.module';
export { parseTimeWindowHours, periodOnlyFollowUpHours } from './lib/offline/time-window';
