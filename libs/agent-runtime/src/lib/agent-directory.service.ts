import { Inject, Injectable, Optional } from '@nestjs/common';
import { HttpAgentClient, InProcessAgentClient, LocalAgentRegistry } from '@aether/a2a';
import { AETHER_CONFIG, idleTimeoutFor, isRemoteAgent, requireAgentUrls, type AetherConfig, type DeploymentMode } from '@aether/config';
import { knownAgents, readServiceHealthDetails, type AgentClient, type AgentName, type ServiceHealthDetails } from '@aether/core';
import { MetricsRegistry } from '@aether/observability';
import { AgentCallMetrics } from './agent-call.metrics';
import { AGENT_RUNTIME_OPTIONS, type AgentRuntimeOptions } from './agent-runtime.options';

export interface AgentLocation {
  name: AgentName;
  location: 'local' | 'remote';
  /** Base URL of the agent's service (remote agents, or a local agent whose URL is configured). */
  url?: string;
}

export interface AgentTopology {
  mode: DeploymentMode;
  self?: AgentName;
  agents: AgentLocation[];
}

export interface AgentProbe {
  reachable: boolean;
  latencyMs?: number;
  error?: string;
  /** What the remote service's liveness report adds (e.g. the HA token's rights it learnt). */
  details?: ServiceHealthDetails;
}

const DEFAULT_PROBE_TIMEOUT_MS = 2_000;

/**
 * The DEPLOYMENT_MODE switch: hands out one `AgentClient` per agent, in-process (driving the
 * agent's A2A request handler) or over HTTP (the A2A SDK client), as the configuration says.
 * A process that would call a remote agent with no URL configured fails to start.
 */
@Injectable()
export class AgentDirectory {
  private readonly clients = new Map<AgentName, AgentClient>();
  private readonly callMetrics?: AgentCallMetrics;

  constructor(
    @Inject(AETHER_CONFIG) private readonly config: AetherConfig,
    @Inject(AGENT_RUNTIME_OPTIONS) private readonly options: AgentRuntimeOptions,
    private readonly localAgents: LocalAgentRegistry,
    @Optional() metrics?: MetricsRegistry,
  ) {
    requireAgentUrls(config, options.self);
    this.callMetrics = metrics ? new AgentCallMetrics(metrics) : undefined;
  }

  get self(): AgentName | undefined {
    return this.options.self;
  }

  isRemote(name: AgentName): boolean {
    return isRemoteAgent(this.config, name, this.options.self);
  }

  client(name: AgentName): AgentClient {
    let client = this.clients.get(name);
    if (!client) {
      client = this.isRemote(name)
        ? new HttpAgentClient({
            agent: name,
            baseUrl: this.remoteUrl(name),
            serviceToken: this.config.serviceToken,
            limits: {
              connectTimeoutMs: this.config.agentCalls.connectTimeoutMs,
              idleTimeoutMs: idleTimeoutFor(this.config.agentCalls, name),
              retryBackoffMs: this.config.agentCalls.retryBackoffMs,
              breakerFailures: this.config.agentCalls.breakerFailures,
              breakerHalfOpenAfterMs: this.config.agentCalls.breakerHalfOpenAfterMs,
              observer: this.callMetrics,
            },
          })
        : new InProcessAgentClient(name, () => this.localAgents.get(name).requestHandler);
      if (this.callMetrics) client = this.callMetrics.metered(client, this.isRemote(name) ? 'http' : 'in_process');
      this.clients.set(name, client);
    }
    return client;
  }

  describe(): AgentTopology {
    return {
      mode: this.config.deploymentMode,
      self: this.options.self,
      agents: knownAgents().map(({ name }) => ({
        name,
        location: this.isRemote(name) ? 'remote' : 'local',
        url: this.config.agentUrls[name],
      })),
    };
  }

  /** Remote: `GET <url>/health` within a short timeout. Local: whether the agent's module is loaded here. */
  async probe(name: AgentName): Promise<AgentProbe> {
    if (!this.isRemote(name)) {
      return this.localAgents.has(name)
        ? { reachable: true }
        : { reachable: false, error: `The ${name} agent is not loaded in this process` };
    }
    const url = `${this.remoteUrl(name)}/health`;
    const started = performance.now();
    try {
      const signal = AbortSignal.timeout(this.options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS);
      const response = await fetch(url, { signal });
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      if (!response.ok) {
        await response.body?.cancel();
        return { reachable: false, latencyMs, error: `${url} answered HTTP ${response.status}` };
      }
      const details = readServiceHealthDetails(await response.json().catch(() => undefined), name);
      return { reachable: true, latencyMs, ...(Object.keys(details).length > 0 ? { details } : {}) };
    } catch (error) {
      const cause = (error as { cause?: { message?: unknown } } | null)?.cause?.message;
      const message = (error as { message?: unknown } | null)?.message;
      return { reachable: false, error: `${url}: ${typeof cause === 'string' ? cause : String(message ?? error)}` };
    }
  }

  private remoteUrl(name: AgentName): string {
    // requireAgentUrls (constructor) guarantees it for every remote agent.
    return this.config.agentUrls[name] as string;
  }
}
