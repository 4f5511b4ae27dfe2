import { DependencyMonitor, ReadinessChecks, type DependencyState, type DependencyStatus, type ReadinessCheck } from '@aether/a2a';
import { AgentDirectory } from '@aether/agent-runtime';
import { AETHER_CONFIG, type AetherConfig, type DeploymentMode } from '@aether/config';
import { combineHomeAssistantAccess, ShutdownState, type AgentName, type HomeAssistantAccessReport } from '@aether/core';
import { HomeAssistantAccess, HomeAssistantClient } from '@aether/home-assistant';
import { LlmProfile } from '@aether/llm';
import { databaseTargetFor, describeDatabaseTarget } from '@aether/persistence';
import { Inject, Injectable, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ApiKeyAuthService } from '../auth/api-key-auth.service';

/** A dependency as last seen by the background probes. */
export interface DependencyHealth {
  status: DependencyStatus;
  /** ISO time of the last probe; null before the first. */
  last_checked: string | null;
  error?: string;
}

export interface AgentHealth {
  location: 'local' | 'remote';
  /** `up` for a local agent: it runs in this process, there is nothing to probe. */
  status: DependencyStatus;
  last_checked?: string | null;
  url?: string;
  reachable?: boolean;
  latencyMs?: number;
  error?: string;
}

export interface GatewayHealth {
  /** `degraded` when a remote agent, Home Assistant or the database is not up. */
  status: 'ok' | 'degraded';
  mode: DeploymentMode;
  agents: Record<AgentName, AgentHealth>;
  /** Present when an agent in this process talks to Home Assistant (in distributed mode see the agents' `/ready`). */
  homeAssistant?: DependencyHealth;
  /** The HA token's rights (when an agent here talks to HA): a non-admin token limits Aether to read-only features. */
  homeAssistantAccess?: HomeAssistantAccessReport;
  database?: DependencyHealth;
  /** Which embedded defaults are in use, so a first run shows it is talking to the demo home / offline model. */
  defaults: {
    homeAssistant: { embedded: boolean; url: string | null };
    /** Embedded PGlite (no DATABASE_URL) or PostgreSQL; `target` never shows a password. */
    database: { embedded: boolean; target: string };
    llm: { embedded: boolean; provider: LlmProfile['provider']; models: string[] };
  };
  auth: { open: boolean };
}

export interface GatewayReadiness {
  status: 'ready' | 'unavailable';
  /** The dependencies that are not up (`accepting` while the gateway drains). */
  failing: string[];
  dependencies: Record<string, DependencyHealth>;
}

const agentCheckName = (name: AgentName) => `agent:${name}`;
/** The agent every chat request goes to first: the gateway cannot serve without it. */
const ENTRY_AGENT: AgentName = 'orchestrator';

function dependencyHealth({ status, last_checked, error }: DependencyState): DependencyHealth {
  return { status, last_checked, ...(error ? { error } : {}) };
}

/**
 * The gateway's view of the deployment: where each agent runs, the state of remote agents, Home
 * Assistant and the database from background probes (`AETHER_HEALTH_*`, never per request), which
 * embedded defaults are active, and whether auth is open.
 */
@Injectable()
export class GatewayHealthService implements OnApplicationBootstrap, OnApplicationShutdown {
  private monitor?: DependencyMonitor;
  /** The HA token's rights as each remote agent that talks to HA last reported them (its /health). */
  private readonly remoteAccess = new Map<AgentName, HomeAssistantAccessReport>();

  constructor(
    private readonly agents: AgentDirectory,
    @Inject(LlmProfile) private readonly models: LlmProfile,
    private readonly auth: ApiKeyAuthService,
    @Inject(AETHER_CONFIG) private readonly config: AetherConfig,
    private readonly readinessChecks: ReadinessChecks,
    @Optional() @Inject(HomeAssistantClient) private readonly homeAssistant?: HomeAssistantClient,
    @Optional() @Inject(HomeAssistantAccess) private readonly homeAssistantAccess?: HomeAssistantAccess,
    // Provided once per process by the service host (graceful shutdown begins the drain).
    @Optional() private readonly shutdown: ShutdownState = new ShutdownState(),
  ) {}

  onApplicationBootstrap(): void {
    const remoteAgents: ReadinessCheck[] = this.agents
      .describe()
      .agents.filter((agent) => agent.location === 'remote')
      .map(({ name }) => ({
        name: agentCheckName(name),
        check: async () => {
          const probe = await this.agents.probe(name);
          if (!probe.reachable) throw new Error(probe.error ?? `The ${name} agent is unreachable`);
          if (probe.details?.homeAssistantAccess) this.remoteAccess.set(name, probe.details.homeAssistantAccess);
        },
      }));
    this.monitor = new DependencyMonitor([...this.readinessChecks.all(), ...remoteAgents], this.config.health);
    this.monitor.start();
  }

  onApplicationShutdown(): void {
    this.monitor?.stop();
  }

  /** The background probes (tests wait on `checked()` or drive `probeAll()`). */
  get dependencies(): DependencyMonitor {
    if (!this.monitor) throw new Error('GatewayHealthService used before the application bootstrapped');
    return this.monitor;
  }

  check(): GatewayHealth {
    const topology = this.agents.describe();
    const states = this.dependencies.states();
    const agents = Object.fromEntries(
      topology.agents.map(({ name, location, url }): [AgentName, AgentHealth] => {
        const state = states[agentCheckName(name)];
        // A local agent runs in this process: there is nothing to reach, and a configured URL is unused.
        if (location === 'local' || !state) return [name, { location: 'local', status: 'up' }];
        return [
          name,
          {
            location: 'remote',
            ...dependencyHealth(state),
            ...(url ? { url } : {}),
            reachable: state.status === 'up',
            ...(state.latencyMs !== undefined ? { latencyMs: state.latencyMs } : {}),
          },
        ];
      }),
    ) as Record<AgentName, AgentHealth>;
    const homeAssistant = states['home-assistant'];
    const database = states['database'];
    return {
      status: Object.values(states).some((state) => state.status !== 'up') ? 'degraded' : 'ok',
      mode: topology.mode,
      agents,
      ...(homeAssistant ? { homeAssistant: dependencyHealth(homeAssistant) } : {}),
      ...this.accessReport(),
      ...(database ? { database: dependencyHealth(database) } : {}),
      defaults: {
        homeAssistant: {
          embedded: !this.config.ha.url,
          url: this.homeAssistant?.baseUrl ?? this.config.ha.url ?? null,
        },
        database: {
          embedded: !this.config.database.url,
          target: describeDatabaseTarget(databaseTargetFor(this.config, 'gateway')),
        },
        llm: {
          embedded: this.models.provider === 'offline',
          provider: this.models.provider,
          models: this.models.listModels(),
        },
      },
      auth: { open: this.auth.open },
    };
  }

  /** The HA token's rights, as this process and the remote agents that talk to HA learnt them. */
  private accessReport(): { homeAssistantAccess?: HomeAssistantAccessReport } {
    const reports = [...(this.homeAssistantAccess ? [this.homeAssistantAccess.report()] : []), ...this.remoteAccess.values()];
    const combined = combineHomeAssistantAccess(reports);
    return combined ? { homeAssistantAccess: combined } : {};
  }

  /**
   * Ready when the gateway accepts work and what every request needs was up at its last probe:
   * the database, Home Assistant (when an agent here talks to it) and the entry agent when remote.
   * Other remote agents only degrade the health report: requests that never reach them still work.
   */
  readiness(): GatewayReadiness {
    const states = this.dependencies.states();
    const needed = this.readinessChecks.all().map((check) => check.name);
    if (states[agentCheckName(ENTRY_AGENT)]) needed.push(agentCheckName(ENTRY_AGENT));
    const failing = [...(this.shutdown.isDraining ? ['accepting'] : []), ...this.dependencies.failing(needed)];
    return {
      status: failing.length === 0 ? 'ready' : 'unavailable',
      failing,
      dependencies: Object.fromEntries(needed.map((name) => [name, dependencyHealth(states[name] as DependencyState)])),
    };
  }
}
