export * from './lib/librarian.agent';
export * from './lib/librarian.card';
export * from './lib/librarian-agent.module';
