import type { AgentCard } from '@a2a-js/sdk';
import { DefaultRequestHandler } from '@a2a-js/sdk/server';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import { agentDescriptor, AgentError, type Agent, type AgentCardSpec, type AgentName } from '@aether/core';
import { MetricsRegistry } from '@aether/observability';
import { AgentTaskExecutor } from '../executor/agent-task.executor';
import { AgentRunMetrics } from '../executor/agent-run.metrics';
import { buildAgentCard } from '../protocol/agent-card.builder';
import { AetherAgent } from './aether-agent.decorator';
import { IdempotentRequestHandler } from './idempotent-request.handler';
import { classifyingTaskStore, FailureClassifier } from './failure-classifier';
import { InMemoryTaskStoreFactory, inMemoryTaskBounds, TaskStoreFactory } from './task-store.factory';

/** An agent hosted by this process, behind its own A2A request handler. */
export interface LocalAgent {
  readonly name: AgentName;
  readonly agent: Agent;
  /** The card the handler serves; shared by reference so the service can set its real URL. */
  readonly card: AgentCard;
  readonly requestHandler: DefaultRequestHandler;
}

interface DeclaredAgent {
  agent: Agent;
  card: AgentCardSpec;
}

/**
 * The agents hosted by this process — every `@AetherAgent` provider of the loaded modules — each
 * behind one A2A request handler, created on first use. The in-process client and the agent's HTTP
 * service both go through it, so tasks and events are the same either way. Agents are looked up
 * lazily (agents inject each other's clients, so none may be resolved while the DI graph is still
 * being built).
 */
@Injectable()
export class LocalAgentRegistry {
  private declared?: Map<AgentName, DeclaredAgent>;
  private readonly agents = new Map<AgentName, LocalAgent>();
  private readonly taskStores: TaskStoreFactory;
  private readonly runMetrics?: AgentRunMetrics;

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(AETHER_CONFIG) private readonly config: AetherConfig,
    @Optional() taskStores?: TaskStoreFactory,
    @Optional() private readonly failures?: FailureClassifier,
    @Optional() metrics?: MetricsRegistry,
  ) {
    this.taskStores = taskStores ?? new InMemoryTaskStoreFactory(inMemoryTaskBounds(config.taskRetention));
    this.runMetrics = metrics ? new AgentRunMetrics(metrics) : undefined;
  }

  /** The agent's handler; throws `AgentError('agent_unavailable')` when its module is not loaded here. */
  get(name: AgentName): LocalAgent {
    let local = this.agents.get(name);
    if (!local) {
      local = this.create(name);
      this.agents.set(name, local);
    }
    return local;
  }

  /** Whether the agent's module is loaded in this process. */
  has(name: AgentName): boolean {
    return this.declaredAgents().has(name);
  }

  /** The names of the agents loaded in this process. */
  names(): AgentName[] {
    return [...this.declaredAgents().keys()];
  }

  private create(name: AgentName): LocalAgent {
    const declared = this.declaredAgents().get(name);
    if (!declared) {
      throw new AgentError(
        'agent_unavailable',
        `The ${name} agent is not loaded in this process: import its Nest module here, or call it over A2A ` +
          `(list it in REMOTE_AGENTS, or use DEPLOYMENT_MODE=distributed, and set ${agentDescriptor(name).urlEnv})`,
        name,
      );
    }
    const card = buildAgentCard(declared.card, {
      url: this.config.agentUrls[name] ?? '',
      requiresServiceToken: this.config.serviceToken !== undefined,
    });
    const store = this.taskStores.create(name);
    const requestHandler = new IdempotentRequestHandler(
      card,
      this.failures ? classifyingTaskStore(store, name, this.failures) : store,
      new AgentTaskExecutor(declared.agent, this.failures, this.runMetrics),
      declared.agent,
    );
    return { name, agent: declared.agent, card, requestHandler };
  }

  private declaredAgents(): Map<AgentName, DeclaredAgent> {
    if (!this.declared) {
      const declared = new Map<AgentName, DeclaredAgent>();
      for (const wrapper of this.discovery.getProviders({ metadataKey: AetherAgent.KEY })) {
        const options = this.discovery.getMetadataByDecorator(AetherAgent, wrapper);
        if (!options || !wrapper.instance) continue;
        const previous = declared.get(options.name);
        if (previous && previous.agent !== wrapper.instance) {
          throw new Error(`Two providers declare the ${options.name} agent: ${previous.agent.constructor.name} and ${wrapper.name}`);
        }
        declared.set(options.name, { agent: wrapper.instance as Agent, card: options.card });
      }
      this.declared = declared;
    }
    return this.declared;
  }
}
