import { AgentDirectory, type AgentLocation, type AgentProbe } from '@aether/agent-runtime';
import { AETHER_CONFIG, type AetherConfig, type DeploymentMode } from '@aether/config';
import type { AgentName } from '@aether/core';
import { HomeAssistantClient } from '@aether/home-assistant';
import { LlmProfile } from '@aether/llm';
import { databaseTargetFor, describeDatabaseTarget } from '@aether/persistence';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { ApiKeyAuthService } from '../auth/api-key-auth.service';

export interface AgentHealth {
  location: 'local' | 'remote';
  url?: string;
  reachable?: boolean;
  latencyMs?: number;
  error?: string;
}

export interface GatewayHealth {
  status: 'ok' | 'degraded';
  mode: DeploymentMode;
  agents: Record<AgentName, AgentHealth>;
  /** Which embedded defaults are in use, so a first run shows it is talking to the demo home / offline model. */
  defaults: {
    homeAssistant: { embedded: boolean; url: string | null };
    /** Embedded PGlite (no DATABASE_URL) or PostgreSQL; `target` never shows a password. */
    database: { embedded: boolean; target: string };
    llm: { embedded: boolean; provider: LlmProfile['provider']; models: string[] };
  };
  auth: { open: boolean };
}

/**
 * Upper bound on one agent probe. `AgentDirectory.probe` has its own HTTP timeout; this guards the
 * health endpoint against any probe that never settles.
 */
export const AGENT_PROBE_TIMEOUT_MS = 2_000;

/**
 * The gateway's view of the deployment: where each agent runs (probing remote ones in parallel),
 * which embedded defaults are active, and whether auth is open. `degraded` when a remote agent is
 * unreachable.
 */
@Injectable()
export class GatewayHealthService {
  constructor(
    private readonly agents: AgentDirectory,
    @Inject(LlmProfile) private readonly models: LlmProfile,
    private readonly auth: ApiKeyAuthService,
    @Inject(AETHER_CONFIG) private readonly config: AetherConfig,
    @Optional() @Inject(HomeAssistantClient) private readonly homeAssistant?: HomeAssistantClient,
  ) {}

  async check(): Promise<GatewayHealth> {
    const topology = this.agents.describe();
    const entries = await Promise.all(
      topology.agents.map(async (agent) => [agent.name, await this.agentHealth(agent)] as const),
    );
    const agents = Object.fromEntries(entries) as Record<AgentName, AgentHealth>;
    const degraded = entries.some(([, health]) => health.location === 'remote' && health.reachable === false);
    return {
      status: degraded ? 'degraded' : 'ok',
      mode: topology.mode,
      agents,
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

  private async agentHealth({ name, location, url }: AgentLocation): Promise<AgentHealth> {
    // A local agent runs in this process: there is nothing to reach, and a configured URL is unused.
    if (location === 'local') return { location };
    const probe = await this.probe(name);
    return {
      location: 'remote',
      ...(url ? { url } : {}),
      reachable: probe.reachable,
      ...(probe.latencyMs !== undefined ? { latencyMs: probe.latencyMs } : {}),
      ...(probe.error ? { error: probe.error } : {}),
    };
  }

  private async probe(name: AgentName): Promise<AgentProbe> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<{ reachable: false; error: string }>((resolve) => {
      timer = setTimeout(
        () => resolve({ reachable: false, error: `no answer within ${AGENT_PROBE_TIMEOUT_MS} ms` }),
        AGENT_PROBE_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([this.agents.probe(name), timeout]);
    } catch (error) {
      return { reachable: false, error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
