export * from './lib/analysis-window';
export * from './lib/ds-orchestrator.agent';
export * from './lib/ds-orchestrator.card';
export * from './lib/ds-orchestrator-agent.module';
export * from './lib/specialist-selection';
export * from './lib/team-report.format';
export * from './lib/team-synthesis';
