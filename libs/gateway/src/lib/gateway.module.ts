import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, DiscoveryModule } from '@nestjs/core';
import { ReadinessChecks } from '@aether/a2a';
import { ApiKeyAuthService } from './auth/api-key-auth.service';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeyLimits } from './auth/api-key-limits.service';
import { ChatCompletionsController } from './chat/chat-completions.controller';
import { ChatCompletionsService } from './chat/chat-completions.service';
import { ChatMetrics } from './chat/chat-metrics.service';
import { ConversationMemory } from './conversations/conversation-memory.service';
import { ConversationsController } from './conversations/conversations.controller';
import { OpenAiExceptionFilter } from './errors/openai-exception.filter';
import { GatewayHealthService } from './health/gateway-health.service';
import { HealthController } from './health/health.controller';
import { JsonBodyMiddleware } from './http/json-body.middleware';
import { ModelCatalog } from './models/model-catalog.service';
import { ModelsController } from './models/models.controller';
import { UtilityCompletions } from './utility/utility-completions.service';
import { ModelUsageLedger } from './usage/model-usage-ledger.service';
import { UsageController } from './usage/usage.controller';
import { ProposalDecisions } from './proposals/proposal-decisions.service';
import { ProposalsController } from './proposals/proposals.controller';
import { InsightsController, ReportsController } from './insights/insights.controller';
import { ApiKeyOrArtifactLinkGuard, ArtifactsController } from './insights/artifacts.controller';
import { TeamRecords } from './insights/team-records.service';

/**
 * Aether's OpenAI-compatible API (`/api/v1/*` and `/v1/*`): chat completions, conversations,
 * models, usage, proposals (through the Developer agent), health.
 *
 * Needs from the app (global providers): `AETHER_CONFIG`, `AgentDirectory`, `LlmProfile`, `UtilityModel` (both from `LlmModule`),
 * `ConversationStore` and `ModelUsageStore` (from `PersistenceModule`), optionally `ApiKeyStore` (named API keys, also from it),
 * and optionally `HomeAssistantClient` (for the URL shown in health) and `MetricsRegistry` (for
 * `aether_chat_completions_total` / `aether_chat_first_token_seconds`). `/ready` and the health
 * report read every `ReadinessCheck` the app provides (database, Home Assistant) plus remote agents. Installs a global exception
 * filter so every error of the app — unknown routes included — uses OpenAI's error envelope.
 */
@Module({
  imports: [DiscoveryModule],
  controllers: [ChatCompletionsController, ConversationsController, ModelsController, HealthController, UsageController, ProposalsController, InsightsController, ReportsController, ArtifactsController],
  providers: [
    ApiKeyAuthService,
    ApiKeyLimits,
    ApiKeyGuard,
    ApiKeyOrArtifactLinkGuard,
    ModelCatalog,
    ChatCompletionsService,
    UtilityCompletions,
    ChatMetrics,
    ConversationMemory,
    ModelUsageLedger,
    ProposalDecisions,
    TeamRecords,
    GatewayHealthService,
    ReadinessChecks,
    { provide: APP_FILTER, useClass: OpenAiExceptionFilter },
  ],
  exports: [ApiKeyAuthService, ApiKeyLimits, ApiKeyGuard, GatewayHealthService],
})
export class GatewayModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(JsonBodyMiddleware).forRoutes(ChatCompletionsController);
  }
}
