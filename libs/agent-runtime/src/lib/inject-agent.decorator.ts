import { Inject } from '@nestjs/common';
import type { AgentName } from '@aether/core';

/** DI token of the `AgentClient` for `name` (provided by `AgentRuntimeModule`). */
export function agentClientToken(name: AgentName): string {
  return `aether.agent-client.${name}`;
}

/**
 * Injects the `AgentClient` of another agent: `constructor(@InjectAgent('architect') architect: AgentClient)`.
 * In-process or over A2A depending on DEPLOYMENT_MODE; the caller cannot tell which.
 */
export function InjectAgent(name: AgentName): PropertyDecorator & ParameterDecorator {
  return Inject(agentClientToken(name));
}
