export * from './lib/developer.agent';
export * from './lib/developer.card';
export * from './lib/developer-agent.module';
export * from './lib/deploy/proposal-kinds';
export * from './lib/deploy/proposal-deployer';
export * from './lib/deploy/draft-review';
export * from './lib/deploy/dashboard-review';
export * from './lib/deploy/dashboard-deployer';
