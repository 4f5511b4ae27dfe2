import { floor, imul } from '../time/fast-math';

/**
 * Stateless, seeded randomness: every random quantity in the demo house is a hash of *what* it is
 * (a seed per behaviour) and *when* (a day or slot number), so any process computes the same
 * house for the same instant. Hand-written because it must be a pure function of its inputs —
 * stateful PRNG libraries would force replaying from a start point. The mixer is the
 * "lowbias32" integer finaliser (good avalanche, cheap).
 */
function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A numeric seed for a behaviour name (FNV-1a over its UTF-16 code units, then mixed). */
export function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = imul(h, 0x01000193);
  }
  return mix32(h);
}

/** A 32-bit hash of a seed and up to three integers. */
export function hash32(seed: number, a: number, b = 0, c = 0): number {
  let h = mix32(seed ^ 0x9e3779b9);
  h = mix32(h ^ a);
  h = mix32(h ^ imul(b, 0x85ebca6b));
  return mix32(h ^ imul(c, 0xc2b2ae35));
}

/** Uniform in [0, 1). */
export function unit(seed: number, a: number, b = 0, c = 0): number {
  return hash32(seed, a, b, c) / 4_294_967_296;
}

/** Uniform in [min, max). */
export function between(min: number, max: number, seed: number, a: number, b = 0, c = 0): number {
  return min + (max - min) * unit(seed, a, b, c);
}

/** True with probability `p`. */
export function chance(p: number, seed: number, a: number, b = 0, c = 0): boolean {
  return unit(seed, a, b, c) < p;
}

/**
 * Smooth noise in [-1, 1] along a continuous axis (value noise: random values at integer points,
 * smoothstep-interpolated), for quantities like weather that drift rather than jump.
 */
export function smoothNoise(seed: number, x: number): number {
  const i = floor(x);
  const f = x - i;
  const t = f * f * (3 - 2 * f);
  const a = unit(seed, i) * 2 - 1;
  const b = unit(seed, i + 1) * 2 - 1;
  return a + (b - a) * t;
}

/**
 * Rounds `value` up or down to an integer with probability equal to its fraction, using a
 * deterministic draw — so small loads (a 4 W standby is 0.33 Wh per slot) still add up correctly.
 */
export function stochasticRound(value: number, seed: number, a: number): number {
  return floor(value + unit(seed, a, 0x5eed));
}
