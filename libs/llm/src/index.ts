// The light face of the LLM library: what any process may import without loading LangChain's
// runtime or the OpenAI client. The model implementations are in `@aether/llm/models`, loaded by
// `LlmModule` only where an agent asks a model.
export * from './lib/llm-profile';
export * from './lib/chat-model-factory';
export * from './lib/llm-connection';
export * from './lib/llm.module';
export { namedCalendarPeriod, parseTimeWindowHours, periodOnlyFollowUpHours } from './lib/offline/time-window';
export * from './lib/utility/utility-model';
export { OfflineUtilityModel } from './lib/utility/offline-utility.model';
export { OpenAiUtilityModel } from './lib/utility/openai-utility.model';
export { promptClockLine } from './lib/prompt-clock';
