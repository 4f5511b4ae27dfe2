// How Aether's processes run on Node, for every launcher (tools/start-distributed, `nx serve`; the
// container image's CMD in docker/Containerfile.service and the monolith's `command` in
// compose.yaml spell the same flags):
//  - agent services and the distributed gateway: --optimize-for-size. V8 favours memory over peak
//    speed (a smaller young generation, leaner code caches). Home Assistant hosts have 4–8 GB and
//    run HA itself beside Aether: measured by `npm run bench`, it takes an idle agent service from
//    ~250 MB to ~125 MB, within the 150 MB budget of each of eight processes.
//  - the monolith (the gateway with agents in-process, also `selective`): one process with a
//    400 MB budget, where --optimize-for-size costs the most (every analysis runs in it: measured,
//    a 30-day energy analysis takes 1.6× as long, and 4 at once barely overlap). A 4 MB young
//    generation keeps it lean: measured by `npm run bench`, idle 277 MB (323 MB after traffic) as
//    with 1 MB, while 4 30-day analyses one after another take 0.60–0.72 s instead of 0.71–0.81 s
//    (fewer scavenges, less promoted to the old generation).
// Source maps are not a flag: each app's main.js turns them on for its own bundle only
// (tools/build/build-app.mjs says why).
export const SERVICE_NODE_FLAGS = ['--optimize-for-size'];
export const MONOLITH_NODE_FLAGS = ['--max-semi-space-size=4'];

/** The flags for `app` started with `env`: the gateway runs as the monolith unless DEPLOYMENT_MODE says distributed. */
export function nodeFlagsFor(app, env) {
  const mode = (env.DEPLOYMENT_MODE || 'monolith').trim().toLowerCase();
  return app === 'gateway' && mode !== 'distributed' ? MONOLITH_NODE_FLAGS : SERVICE_NODE_FLAGS;
}

// And its environment (the container image's ENV spells the same):
//  - MALLOC_MMAP_THRESHOLD_: a fixed glibc mmap threshold. glibc raises it after a large block is
//    freed, so later large buffers (HA history bodies, an analysis worker's isolate) come from the
//    heap and stay resident after they are freed. Fixed at 128 KiB they are mapped and unmapped:
//    measured with 6 energy questions, the ds-analysts service idles at 136 MB instead of 151 MB.
export const SERVICE_ENV = { MALLOC_MMAP_THRESHOLD_: '131072' };
