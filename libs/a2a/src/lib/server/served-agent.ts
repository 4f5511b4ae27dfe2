import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { AgentCard } from '@a2a-js/sdk';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AETHER_CONFIG, type AetherConfig } from '@aether/config';
import { agentDescriptor, type AgentName } from '@aether/core';
import { LocalAgentRegistry, type LocalAgent } from '../handlers/local-agent.registry';
import { setAgentCardUrl } from '../protocol/agent-card.builder';

/** DI token: the name of the agent an `A2aServerModule` serves. */
export const SERVED_AGENT_NAME = Symbol.for('aether.a2a.served-agent');

/**
 * The agent this service exposes over A2A, resolved from the process-wide registry at start-up (a
 * service whose agent module is missing fails to start, not on its first request).
 */
@Injectable()
export class ServedAgent implements OnModuleInit {
  private local?: LocalAgent;
  private urlResolved = false;

  constructor(
    @Inject(SERVED_AGENT_NAME) readonly name: AgentName,
    @Inject(AETHER_CONFIG) private readonly config: AetherConfig,
    private readonly registry: LocalAgentRegistry,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    this.local = this.registry.get(this.name);
  }

  get agent(): LocalAgent {
    this.local ??= this.registry.get(this.name);
    return this.local;
  }

  /** The agent card with the service's real URL (known for sure only once the server listens). */
  card(): AgentCard {
    const card = this.agent.card;
    if (!this.urlResolved) {
      const { url, final } = this.serviceUrl();
      setAgentCardUrl(card, url);
      this.urlResolved = final;
    }
    return card;
  }

  /** `PUBLIC_URL`, else this agent's own `*_SERVICE_URL`, else the address the server listens on. */
  private serviceUrl(): { url: string; final: boolean } {
    const configured = this.config.publicUrl ?? this.config.agentUrls[this.name];
    if (configured) return { url: configured, final: true };
    const address = this.adapterHost.httpAdapter?.getHttpServer()?.address() as AddressInfo | string | null | undefined;
    const listening = typeof address === 'object' && address !== null;
    const port = listening ? address.port : (this.config.port ?? agentDescriptor(this.name).port);
    return { url: `http://${advertisedHost(this.config.host)}:${port}`, final: listening };
  }
}

/** A wildcard bind address is not something a caller can dial; the machine's name is. */
function advertisedHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return hostname();
  return host.includes(':') ? `[${host}]` : host;
}
