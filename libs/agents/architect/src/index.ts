export * from './lib/architect.agent';
export * from './lib/architect.card';
export * from './lib/architect-agent.module';
export * from './lib/architect-offline.policy';
export * from './lib/architect-system-prompt';
export * from './lib/consult-data-science-team.tool';
export * from './lib/propagate-agent-errors.middleware';
