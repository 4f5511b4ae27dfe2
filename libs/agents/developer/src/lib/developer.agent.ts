import { AetherAgent } from '@aether/a2a';
import { AgentError, type Agent, type AgentEvent, type AgentRequest } from '@aether/core';
import { Injectable } from '@nestjs/common';
import { DEVELOPER_CARD } from './developer.card';

export const DEVELOPER_NOT_AVAILABLE = 'Developer (deploying approved automation proposals to Home Assistant) is not available yet in this version of Aether.';

/**
 * This agent's capability is not built in this version: every request fails with a clear
 * `not_implemented` error (a failed A2A task) rather than an invented answer, so callers and users
 * can tell. The card still advertises the skills it will offer.
 */
@Injectable()
@AetherAgent({ name: 'developer', card: DEVELOPER_CARD })
export class DeveloperAgent implements Agent {
  readonly name = 'developer' as const;

  // eslint-disable-next-line require-yield -- fails before producing any event, by design
  async *run(_request: AgentRequest, _signal: AbortSignal): AsyncGenerator<AgentEvent> {
    throw new AgentError('not_implemented', DEVELOPER_NOT_AVAILABLE, this.name);
  }
}
