import type { AgentCard, AgentInterface } from '@a2a-js/sdk';
import type { AgentCardSpec } from '@aether/core';
import { A2A_V03, A2A_V1, JSON_MEDIA_TYPE, TEXT_MEDIA_TYPE } from './a2a-wire';

/** Aether's release; agent cards advertise it as the agent version (kept in step with package.json). */
export const AETHER_VERSION = '0.1.0';

/** Name of the bearer scheme on every card: the shared service token (`AETHER_SERVICE_TOKEN`). */
export const SERVICE_TOKEN_SCHEME = 'aetherServiceToken';

export interface AgentCardOptions {
  /** Base URL of the agent service; JSON-RPC is served at its root. */
  url: string;
  /** Whether callers must present the service token (false only for a dev service running open). */
  requiresServiceToken: boolean;
  version?: string;
}

/** The v1.0 agent card for an agent: JSON-RPC 1.0 (preferred) and 0.3 at the same URL. */
export function buildAgentCard(spec: AgentCardSpec, options: AgentCardOptions): AgentCard {
  return {
    name: spec.name,
    description: spec.description,
    supportedInterfaces: agentInterfaces(options.url),
    provider: undefined,
    version: options.version ?? AETHER_VERSION,
    capabilities: { streaming: true, pushNotifications: false, extensions: [], extendedAgentCard: false },
    securitySchemes: {
      [SERVICE_TOKEN_SCHEME]: {
        scheme: {
          $case: 'httpAuthSecurityScheme',
          value: { scheme: 'Bearer', description: 'Aether service token (AETHER_SERVICE_TOKEN)', bearerFormat: '' },
        },
      },
    },
    securityRequirements: options.requiresServiceToken ? [{ schemes: { [SERVICE_TOKEN_SCHEME]: { list: [] } } }] : [],
    defaultInputModes: [TEXT_MEDIA_TYPE, JSON_MEDIA_TYPE],
    defaultOutputModes: [TEXT_MEDIA_TYPE, JSON_MEDIA_TYPE],
    skills: spec.skills.map((skill) => ({
      id: skill.id,
      name: skill.name,
      description: skill.description,
      tags: skill.tags,
      examples: skill.examples ?? [],
      inputModes: [],
      outputModes: [],
      securityRequirements: [],
    })),
    signatures: [],
  };
}

/** Points every interface of `card` at `url` (the card object is shared with its request handler). */
export function setAgentCardUrl(card: AgentCard, url: string): void {
  card.supportedInterfaces = agentInterfaces(url);
}

function agentInterfaces(url: string): AgentInterface[] {
  const endpoint = url.endsWith('/') ? url : `${url}/`;
  return [
    { url: endpoint, protocolBinding: 'JSONRPC', protocolVersion: A2A_V1, tenant: '' },
    { url: endpoint, protocolBinding: 'JSONRPC', protocolVersion: A2A_V03, tenant: '' },
  ];
}
