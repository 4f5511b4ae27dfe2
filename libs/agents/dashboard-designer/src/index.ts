export * from './lib/dashboard-designer.agent';
export * from './lib/dashboard-designer.card';
export * from './lib/dashboard-designer-agent.module';
