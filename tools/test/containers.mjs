#!/usr/bin/env node
// `npm run test:containers`: the container end-to-end tests. Builds the offline base images
// (tools/containers/build-local-base.sh: Debian packages + Node.js from npm, no registry), the nine
// service images on top of them (`make build-services`), then runs apps/e2e/src/containers/* which
// start the compose stacks. COMPOSE / CONTAINER_ENGINE pick the tools (podman-compose, podman).
// Extra arguments go to Jest.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const compose = process.env.COMPOSE ?? 'podman-compose';
const engine = process.env.CONTAINER_ENGINE ?? (compose.includes('docker') ? 'docker' : 'podman');
const baseImage = process.env.BASE_IMAGE ?? 'aether-node-base:24';
const postgresImage = process.env.POSTGRES_IMAGE ?? 'aether-postgres:15';

function step(title, command, args, env = {}) {
  console.log(`::: ${title}`);
  const started = Date.now();
  const { status, error } = spawnSync(command, args, { stdio: 'inherit', cwd: root, env: { ...process.env, ...env } });
  if (error) {
    console.error(`${command}: ${error.message}`);
    process.exit(1);
  }
  if (status !== 0) process.exit(status ?? 1);
  console.log(`::: ${title}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

for (const tool of [engine, compose.split(' ')[0]]) {
  if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0) {
    console.error(`test:containers needs ${tool} (COMPOSE=${compose}, engine ${engine}); install it or set COMPOSE / CONTAINER_ENGINE`);
    process.exit(1);
  }
}

step('offline base images', 'bash', ['tools/containers/build-local-base.sh'], {
  ENGINE: engine,
  NODE_IMAGE: baseImage,
  POSTGRES_IMAGE: postgresImage,
});
step('service images (make build-services)', 'make', ['build-services', `ENGINE=${engine}`, `BASE_IMAGE=${baseImage}`]);
console.log('::: container end-to-end tests');
const jest = spawnSync(process.execPath, [path.join(root, 'tools/test/jest.mjs'), '-c', 'apps/e2e/jest.containers.config.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, COMPOSE: compose, CONTAINER_ENGINE: engine, POSTGRES_IMAGE: postgresImage },
});
removeLeftovers();
process.exit(jest.status ?? 1);

/**
 * The tests take their stacks down themselves, also when they fail; this catches what a killed Jest
 * could not (stacks are the compose projects named aether-e2e-*).
 */
function removeLeftovers() {
  const list = (...args) => spawnSync(engine, args, { encoding: 'utf8' }).stdout?.split('\n').filter(Boolean) ?? [];
  const project = (line) => line.split(' ')[1] ?? '';
  const containers = list('ps', '-a', '--format', '{{.ID}} {{index .Labels "com.docker.compose.project"}}').filter((l) => project(l).startsWith('aether-e2e-'));
  if (containers.length > 0) spawnSync(engine, ['rm', '-f', '-v', ...containers.map((l) => l.split(' ')[0])], { stdio: 'ignore' });
  const volumes = list('volume', 'ls', '--format', '{{.Name}}').filter((name) => name.startsWith('aether-e2e-'));
  if (volumes.length > 0) spawnSync(engine, ['volume', 'rm', '-f', ...volumes], { stdio: 'ignore' });
  const networks = list('network', 'ls', '--format', '{{.Name}}').filter((name) => name.startsWith('aether-e2e-'));
  if (networks.length > 0) spawnSync(engine, ['network', 'rm', '-f', ...networks], { stdio: 'ignore' });
  if (containers.length + volumes.length + networks.length > 0) {
    console.log(`::: removed leftovers: ${containers.length} containers, ${volumes.length} volumes, ${networks.length} networks`);
  }
}
