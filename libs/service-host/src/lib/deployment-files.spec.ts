import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGENT_TABLE } from '@aether/core';
import { AGENT_MODULE_LOADERS } from './agent-modules';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** The services of a compose file and the text of each one's block (its lines, indented under it). */
function composeServices(file: string): Map<string, string> {
  const lines = read(file).split('\n');
  const services = new Map<string, string>();
  let inServices = false;
  let current: string | undefined;
  for (const line of lines) {
    if (/^services:\s*$/.test(line)) {
      inServices = true;
      continue;
    }
    if (/^\S/.test(line)) inServices = false;
    if (!inServices) continue;
    const start = /^ {2}([a-z][a-z0-9-]*):\s*$/.exec(line);
    if (start) {
      current = start[1];
      services.set(current, '');
    } else if (current) {
      services.set(current, `${services.get(current)}${line}\n`);
    }
  }
  return services;
}

/** `VAR_NAME` of a service's host port variable in the compose files (ARCHITECT_PORT, …). */
const portVariable = (name: string) => `${name.toUpperCase().replace(/-/g, '_')}_PORT`;

/**
 * AGENT_TABLE is the single source of what the agents are; the files people read and run (the
 * Makefile, the compose files, the process stack) are written out, so this keeps them in step.
 */
describe('deployment files agree with AGENT_TABLE', () => {
  const names = AGENT_TABLE.map((agent) => agent.name);

  it('every agent has a module loader and an app', () => {
    expect(Object.keys(AGENT_MODULE_LOADERS).sort()).toEqual([...names].sort());
    for (const name of names) expect(existsSync(path.join(root, 'apps', name, 'src/main.ts'))).toBe(true);
  });

  it('the Makefile builds and runs every agent', () => {
    const makefile = read('Makefile');
    const list = (variable: string) => makefile.match(new RegExp(`^${variable} :=(.*)$`, 'm'))?.[1].trim().split(/\s+/);
    expect(list('AGENTS')?.sort()).toEqual([...names].sort());
    expect(list('SERVICES')?.sort()).toEqual(['gateway', 'ha-demo', ...names].sort());
  });

  it('compose.distributed.yaml runs each agent on its port, tells every service where each agent is, and starts the gateway after them', () => {
    const compose = read('compose.distributed.yaml');
    const services = composeServices('compose.distributed.yaml');
    expect([...services.keys()].filter((service) => service !== 'app').sort()).toEqual([...names].sort());
    for (const agent of AGENT_TABLE) {
      const block = services.get(agent.name) ?? '';
      expect(block).toContain(`AETHER_SERVICE: ${agent.name},`);
      expect(block).toContain(`\${${portVariable(agent.name)}:-${agent.port}}:8000`);
      expect(block).toContain(`PUBLIC_URL: http://${agent.name}:8000`);
      expect(compose).toContain(`  ${agent.urlEnv}: http://${agent.name}:8000\n`);
      expect(services.get('app')).toContain(`      ${agent.name}: { condition: service_healthy }\n`);
    }
  });

  it('.env.example names each agent port', () => {
    const example = read('.env.example');
    for (const agent of AGENT_TABLE) expect(example).toContain(`${portVariable(agent.name)}=${agent.port}`);
  });

  it('the service image runs Node with the launchers\' flags and environment (tools/build/node-flags.mjs), the monolith with its own', async () => {
    const { SERVICE_ENV, SERVICE_NODE_FLAGS, MONOLITH_NODE_FLAGS, nodeFlagsFor } = (await import(path.join(root, 'tools/build/node-flags.mjs'))) as {
      SERVICE_ENV: Record<string, string>;
      SERVICE_NODE_FLAGS: string[];
      MONOLITH_NODE_FLAGS: string[];
      nodeFlagsFor: (app: string, env: Record<string, string | undefined>) => string[];
    };
    const command = (flags: string[]) => JSON.stringify(['node', ...flags, 'main.js']).replace(/,/g, ', ');
    const containerfile = read('docker/Containerfile.service');
    expect(containerfile).toContain(`CMD ${command(SERVICE_NODE_FLAGS)}`);
    const monolith = composeServices('compose.yaml').get('app') ?? '';
    expect(monolith).toContain('DEPLOYMENT_MODE: monolith');
    expect(monolith).toContain(`command: ${command(MONOLITH_NODE_FLAGS)}`);
    expect(nodeFlagsFor('gateway', {})).toEqual(MONOLITH_NODE_FLAGS);
    expect(nodeFlagsFor('gateway', { DEPLOYMENT_MODE: 'selective' })).toEqual(MONOLITH_NODE_FLAGS);
    expect(nodeFlagsFor('gateway', { DEPLOYMENT_MODE: 'distributed' })).toEqual(SERVICE_NODE_FLAGS);
    expect(nodeFlagsFor('librarian', {})).toEqual(SERVICE_NODE_FLAGS);
    for (const [name, value] of Object.entries(SERVICE_ENV)) expect(containerfile).toMatch(new RegExp(`^\\s+${name}=${value}\\b`, 'm'));
  });
});
