export * from './lib/chat-model-factory';
export * from './lib/llm-connection';
export * from './lib/configured-chat-model.factory';
export * from './lib/llm.module';
export {
  OfflineChatModel,
  type OfflineChatModelCallOptions,
  type OfflineChatModelFields,
} from './lib/offline/offline-chat-model';
export { decideOfflineResponse, type OfflineDecisionInput } from './lib/offline/offline-rules';
export { parseTimeWindowHours, periodOnlyFollowUpHours } from './lib/offline/time-window';
