import { DiscoveryService } from '@nestjs/core';
import type { AgentCardSpec, AgentName } from '@aether/core';

export interface AetherAgentOptions {
  name: AgentName;
  /** What the agent's A2A card says about it (its URL and security are added by the service). */
  card: AgentCardSpec;
}

/**
 * Declares a Nest provider as an Aether agent: `@AetherAgent({ name, card })` on an `@Injectable()`
 * class implementing `Agent`. The process finds the agents its modules provide through Nest's
 * `DiscoveryService` (no string tokens, no registration calls): whatever agent modules a process
 * imports are the agents it hosts.
 */
export const AetherAgent = DiscoveryService.createDecorator<AetherAgentOptions>();
