import { agentDescriptor, knownAgents, type AgentName } from './agent-names';

export interface DeploymentCapabilities {
  /** What the agents of this deployment do, in table order. */
  available: string[];
  /** What they would do but cannot yet (they answer `not_implemented`). */
  notYet: string[];
}

/**
 * What Aether can and cannot do here, from the agent table's `offers` — including rows added for
 * extra agents — so "what can you do?" never promises an analyst or an action that does not exist.
 */
export function deploymentCapabilities(): DeploymentCapabilities {
  const offers = knownAgents().flatMap((agent) => agent.offers ?? []);
  return {
    available: offers.filter((offer) => offer.available).map((offer) => offer.what),
    notYet: offers.filter((offer) => !offer.available).map((offer) => offer.what),
  };
}

/** The capability list as Markdown: what Aether can do, then what is not available yet. */
export function capabilityMenu(): string {
  const { available, notYet } = deploymentCapabilities();
  const lines = ['Aether can:', ...available.map((what) => `- ${what}`)];
  if (notYet.length > 0) lines.push('', 'Not available yet in this version:', ...notYet.map((what) => `- ${what}`));
  return lines.join('\n');
}

/**
 * True when an agent offers the person chatting something but none of it is built yet (every
 * request answers `not_implemented`); agents that only serve other agents offer nothing and are
 * not "unavailable".
 */
export function offersNothingYet(name: AgentName): boolean {
  const offers = agentDescriptor(name).offers ?? [];
  return offers.length > 0 && offers.every((offer) => !offer.available);
}
