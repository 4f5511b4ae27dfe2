#!/usr/bin/env node
// `npm run start:distributed`: builds the apps, then starts the demo home (unless HA_URL is set),
// one embedded database server on 8432 (unless DATABASE_URL is set) and the 8 services on
// 8000–8007 with DEPLOYMENT_MODE=distributed, waits for every health check,
// prints the URLs, and stops every child on Ctrl-C / SIGTERM.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGENTS, describeDatabaseUrl, startDistributedStack } from './stack.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const apps = ['gateway', 'ha-demo', ...Object.keys(AGENTS)];

if (!process.argv.includes('--no-build')) {
  console.log(`Building ${apps.length} apps…`);
  execFileSync(process.execPath, [path.join(root, 'tools/build/build-app.mjs'), ...apps], { stdio: 'inherit' });
}

const verbose = process.argv.includes('--verbose');
const stack = await startDistributedStack({
  haUrl: process.env.HA_URL,
  haToken: process.env.HA_TOKEN,
  // Generous for a small, busy machine; a normal start takes seconds.
  timeoutMs: 180_000,
  // The services write to pipes (JSON lines by default): a person at a terminal reads them as text.
  env: process.env.LOG_FORMAT || !process.stdout.isTTY ? {} : { LOG_FORMAT: 'pretty' },
  onOutput: (app, text) => {
    for (const line of text.split('\n')) if (line.trim() && (verbose || /warn|error|fatal/i.test(line))) console.log(`[${app}] ${line}`);
  },
});

console.log('\nAether is running in distributed mode:');
console.log(`  gateway (OpenAI API)  ${stack.gateway.url}/api/v1   (health: ${stack.gateway.url}/api/v1/health)`);
for (const [name, agent] of Object.entries(stack.agents)) {
  console.log(`  ${name.padEnd(20)} ${agent.url}   (card: ${agent.url}/.well-known/agent-card.json)`);
}
console.log(`  home assistant        ${stack.ha.url}${process.env.HA_URL ? '' : '   (bundled demo home)'}`);
console.log(
  stack.database.kind === 'embedded'
    ? `  database              ${stack.database.url}   (embedded PGlite, data in ${stack.database.dataDir})`
    : `  database              ${describeDatabaseUrl(stack.database.url)}   (DATABASE_URL)`,
);
console.log('\nTry:');
console.log(
  `  curl -N ${stack.gateway.url}/api/v1/chat/completions -H 'Content-Type: application/json' \\\n` +
    `    -d '{"model":"aether-offline","stream":true,"messages":[{"role":"user","content":"Analyze my energy usage"}]}'`,
);
console.log('\nCtrl-C stops every service.');

let stopping = false;
const shutdown = async (signal) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping all services…`);
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

// A service that dies on its own takes the stack down with it, loudly.
for (const service of [stack.gateway, ...Object.values(stack.agents), ...(stack.database.server ? [stack.database.server] : [])]) {
  service.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`${service.app} exited unexpectedly (${code ?? signal}); last output:\n${service.output()}`);
    void shutdown('service exit');
  });
}
