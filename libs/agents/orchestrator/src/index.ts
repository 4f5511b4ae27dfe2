export * from './lib/keyword-intent.classifier';
export * from './lib/orchestrator.agent';
export * from './lib/orchestrator.card';
export * from './lib/orchestrator-agent.module';
export * from './lib/orchestrator-offline.policy';
export * from './lib/orchestrator-system-prompt';
export * from './lib/routable-agents';
export * from './lib/route-to-agent.tool';
