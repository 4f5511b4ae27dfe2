/** Math bindings for the statistics' loops (see time/fast-math.ts for why not `Math.*` directly). */
export const { ceil, max, min } = Math;
