import { CreateA2aTasks1795900000001 } from './migrations/1795900000001-create-a2a-tasks.migration';
import { CreateConversations1795900000000 } from './migrations/1795900000000-create-conversations.migration';
import { CreateApiKeys1795900001402 } from './migrations/1795900001402-create-api-keys.migration';
import { ConversationOpenings1795900001501 } from './migrations/1795900001501-conversation-openings.migration';
import { CreateModelUsage1795900001502 } from './migrations/1795900001502-create-model-usage.migration';
import { ConversationMessageOrder1795900001503 } from './migrations/1795900001503-conversation-message-order.migration';
import { CreateProposals1795900001601 } from './migrations/1795900001601-create-proposals.migration';
import { ProposalReplaces1795900001602 } from './migrations/1795900001602-proposal-replaces.migration';
import { CreateInsights1795900001701 } from './migrations/1795900001701-create-insights.migration';
import { CreateAnalysisArtifacts1795900001801 } from './migrations/1795900001801-create-analysis-artifacts.migration';
import { InsightsCustomSpecialist1795900001802 } from './migrations/1795900001802-insights-custom-specialist.migration';
import { IndexFinishedA2aTasks1795900001401 } from './migrations/1795900001401-index-finished-a2a-tasks.migration';
import { A2aTaskEntity } from './a2a-tasks/a2a-task.entity';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { ModelUsageEntity } from './model-usage/model-usage.entity';
import { ProposalEntity } from './proposals/proposal.entity';
import { AnalysisArtifactEntity, AnalysisReportEntity, InsightEntity } from './insights/insight.entities';
import { CATALOG_ENTITIES, CATALOG_MIGRATIONS } from './catalog/catalog-schema';
import { ConversationMessageEntity } from './conversations/conversation-message.entity';
import { ConversationEntity } from './conversations/conversation.entity';

/** Every entity of Aether's database; one list so the app, the migrate target and tests agree. */
export const ENTITIES = [ConversationEntity, ConversationMessageEntity, A2aTaskEntity, ApiKeyEntity, ModelUsageEntity, ProposalEntity, AnalysisReportEntity, InsightEntity, AnalysisArtifactEntity, ...CATALOG_ENTITIES];

/** Every migration, in any order (TypeORM orders them by the timestamp in their class name). */
export const MIGRATIONS = [
  CreateConversations1795900000000,
  CreateA2aTasks1795900000001,
  IndexFinishedA2aTasks1795900001401,
  CreateApiKeys1795900001402,
  ConversationOpenings1795900001501,
  CreateModelUsage1795900001502,
  ConversationMessageOrder1795900001503,
  CreateProposals1795900001601,
  ProposalReplaces1795900001602,
  CreateInsights1795900001701,
  CreateAnalysisArtifacts1795900001801,
  InsightsCustomSpecialist1795900001802,
  ...CATALOG_MIGRATIONS,
];
