export * from './lib/developer.agent';
export * from './lib/developer.card';
export * from './lib/developer-agent.module';
