import type { FactoryProvider } from '@nestjs/common';
import { provideReadinessCheck, type ReadinessCheck } from '@aether/a2a';
import type { AgentName } from '@aether/core';
import { AgentDirectory } from './agent-directory.service';

/** A `/ready` check that `name` can be reached (its service answers `/health`, or it is loaded here). */
export function provideAgentReachableCheck(name: AgentName): FactoryProvider<ReadinessCheck> {
  return provideReadinessCheck({
    useFactory: (directory: AgentDirectory): ReadinessCheck => ({
      name: `agent:${name}`,
      check: async () => {
        const probe = await directory.probe(name);
        if (!probe.reachable) throw new Error(probe.error ?? `The ${name} agent is unreachable`);
      },
    }),
    inject: [AgentDirectory],
  });
}
