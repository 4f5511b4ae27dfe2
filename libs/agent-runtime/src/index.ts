export * from './lib/agent-runtime.options';
export * from './lib/inject-agent.decorator';
export * from './lib/agent-directory.service';
export * from './lib/agent-runtime.module';
export * from './lib/agent-reachable.check';
export * from './lib/agent-call.metrics';
