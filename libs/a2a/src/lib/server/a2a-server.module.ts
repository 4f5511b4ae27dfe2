/*
 * Why not `@nestjs/microservices` (a custom transport strategy wrapping the SDK)?
 * A Nest microservice transport maps message patterns to handlers and request/response (or
 * fire-and-forget events) onto a broker or socket. A2A is already a complete application protocol
 * whose semantics live in the SDK's `DefaultRequestHandler`: task lifecycle, task store, SSE
 * streaming with one task per stream, cancel, resubscribe, agent-card discovery and v0.3 compat.
 * A custom transport would have to re-implement the HTTP/SSE binding the SDK already provides,
 * would hide streams behind Observables that add a scheduling hop per token, and would still need
 * plain HTTP routes for the card, /health, /ready and /metrics. So an agent service is a normal
 * Nest HTTP app whose controllers hand requests to the SDK's framework-agnostic JSON-RPC handlers;
 * the monolith skips HTTP by driving the same request handler in-process.
 */
import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { AgentName } from '@aether/core';
import { LocalAgentsModule } from '../handlers/local-agents.module';
import { A2aJsonRpcController } from './a2a-json-rpc.controller';
import { AgentCardController } from './agent-card.controller';
import { HealthController } from './health.controller';
import { JsonRpcBodyMiddleware } from './json-rpc-body.middleware';
import { ReadinessChecks } from './readiness-checks';
import { ReadinessMonitor } from './readiness-monitor';
import { SERVED_AGENT_NAME, ServedAgent } from './served-agent';
import { ServiceTokenGuard } from './service-token.guard';

/**
 * Turns a Nest (Express) app into the A2A service of one agent: `POST /` (JSON-RPC + SSE, service
 * token required), `GET /.well-known/agent-card.json`, `GET /health`, `GET /ready`. The agent's
 * module must be imported by the app (it provides the domain `Agent`, declared with `@AetherAgent`);
 * `AetherConfigModule` must be loaded. `GET /metrics` comes from `MetricsModule`.
 */
@Module({})
export class A2aServerModule implements NestModule {
  static forAgent(name: AgentName): DynamicModule {
    return {
      module: A2aServerModule,
      imports: [LocalAgentsModule, DiscoveryModule, TerminusModule.forRoot({ logger: false })],
      controllers: [A2aJsonRpcController, AgentCardController, HealthController],
      providers: [{ provide: SERVED_AGENT_NAME, useValue: name }, ServedAgent, ServiceTokenGuard, ReadinessChecks, ReadinessMonitor, JsonRpcBodyMiddleware],
      exports: [ServedAgent],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(JsonRpcBodyMiddleware).forRoutes(A2aJsonRpcController);
  }
}
