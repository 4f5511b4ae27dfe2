// How Aether's services run on Node, for every launcher (tools/start-distributed, `nx serve`; the
// container image's CMD in docker/Containerfile.service spells the same flags):
//  - --optimize-for-size: V8 favours memory over peak speed (a smaller young generation, leaner
//    code caches). Home Assistant hosts have 4–8 GB and run HA itself beside Aether: measured by
//    `npm run bench`, it takes an idle agent service from ~250 MB to ~125 MB.
// Source maps are not a flag: each app's main.js turns them on for its own bundle only
// (tools/build/build-app.mjs says why).
export const SERVICE_NODE_FLAGS = ['--optimize-for-size'];

// And its environment (the container image's ENV spells the same):
//  - MALLOC_MMAP_THRESHOLD_: a fixed glibc mmap threshold. glibc raises it after a large block is
//    freed, so later large buffers (HA history bodies, an analysis worker's isolate) come from the
//    heap and stay resident after they are freed. Fixed at 128 KiB they are mapped and unmapped:
//    measured with 6 energy questions, the ds-analysts service idles at 136 MB instead of 151 MB.
export const SERVICE_ENV = { MALLOC_MMAP_THRESHOLD_: '131072' };
