export * from './lib/agent-table';
export * from './lib/agent-names';
export * from './lib/agent-events';
export * from './lib/agent-contract';
export * from './lib/agent-definition';
export * from './lib/truncate';
export * from './lib/catalog-protocol';
export * from './lib/shutdown-state';
