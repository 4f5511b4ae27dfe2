import type { AgentCard } from '@a2a-js/sdk';
import { DefaultRequestHandler } from '@a2a-js/sdk/server';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import {
  AGENT_URL_ENV,
  AgentError,
  agentCardToken,
  agentProviderToken,
  type Agent,
  type AgentCardSpec,
  type AgentName,
} from '@aether/core';
import { AgentTaskExecutor } from '../executor/agent-task.executor';
import { buildAgentCard } from '../protocol/agent-card.builder';
import { InMemoryTaskStoreFactory, TaskStoreFactory } from './task-store.factory';

/** An agent hosted by this process, behind its own A2A request handler. */
export interface LocalAgent {
  readonly name: AgentName;
  readonly agent: Agent;
  /** The card the handler serves; shared by reference so the service can set its real URL. */
  readonly card: AgentCard;
  readonly requestHandler: DefaultRequestHandler;
}

/**
 * One A2A request handler per local agent per process, created on first use. The in-process
 * client and the agent's HTTP service both go through it, so tasks and events are the same either
 * way. Agents are found lazily (agent modules inject each other's clients, so no agent may be
 * resolved while the DI graph is still being built).
 */
@Injectable()
export class LocalAgentRegistry {
  private readonly agents = new Map<AgentName, LocalAgent>();
  private readonly taskStores: TaskStoreFactory;

  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(AETHER_CONFIG) private readonly config: AetherConfig,
    @Optional() taskStores?: TaskStoreFactory,
  ) {
    this.taskStores = taskStores ?? new InMemoryTaskStoreFactory();
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
    return this.agents.has(name) || this.lookup<Agent>(agentProviderToken(name)) !== undefined;
  }

  private create(name: AgentName): LocalAgent {
    const agent = this.lookup<Agent>(agentProviderToken(name));
    if (!agent) {
      throw new AgentError(
        'agent_unavailable',
        `The ${name} agent is not loaded in this process: import its Nest module here, or call it over A2A ` +
          `(list it in REMOTE_AGENTS, or use DEPLOYMENT_MODE=distributed, and set ${AGENT_URL_ENV[name]})`,
        name,
      );
    }
    const spec = this.lookup<AgentCardSpec>(agentCardToken(name)) ?? { name, description: `The ${name} agent`, skills: [] };
    const card = buildAgentCard(spec, {
      url: this.config.agentUrls[name] ?? '',
      requiresServiceToken: this.config.serviceToken !== undefined,
    });
    const requestHandler = new DefaultRequestHandler(card, this.taskStores.create(name), new AgentTaskExecutor(agent));
    return { name, agent, card, requestHandler };
  }

  private lookup<T>(token: string): T | undefined {
    try {
      return this.moduleRef.get<T>(token, { strict: false });
    } catch {
      return undefined;
    }
  }
}
