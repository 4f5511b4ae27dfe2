/** The chat model implementations (LangChain, the OpenAI client): import only where a model is asked. */
export * from './lib/configured-chat-model.factory';
export {
  OfflineChatModel,
  type OfflineChatModelCallOptions,
  type OfflineChatModelFields,
} from './lib/offline/offline-chat-model';
export { decideOfflineResponse, type OfflineDecisionInput } from './lib/offline/offline-rules';
/** The request as it goes on the wire (portable tool schemas, one system message): what a prompt budget measures. */
export { normaliseChatRequest } from './lib/resilience/provider-compat';
