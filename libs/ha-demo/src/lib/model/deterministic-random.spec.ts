import { hash32, seedOf, smoothNoise, stochasticRound, unit } from './deterministic-random';

describe('deterministic randomness', () => {
  it('is a pure function of its inputs', () => {
    expect(hash32(seedOf('x'), 1, 2, 3)).toBe(hash32(seedOf('x'), 1, 2, 3));
    expect(hash32(seedOf('x'), 1, 2, 3)).not.toBe(hash32(seedOf('y'), 1, 2, 3));
    expect(hash32(seedOf('x'), 1, 2, 3)).not.toBe(hash32(seedOf('x'), 1, 2, 4));
  });

  it('is roughly uniform in [0, 1)', () => {
    const seed = seedOf('uniformity');
    const buckets = new Array(10).fill(0);
    let outOfRange = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = unit(seed, i);
      if (u < 0 || u >= 1) outOfRange++;
      else buckets[Math.floor(u * 10)]++;
    }
    expect(outOfRange).toBe(0);
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('rounds stochastically without bias, so small loads still add up', () => {
    const seed = seedOf('rounding');
    let total = 0;
    for (let slot = 0; slot < 100_000; slot++) total += stochasticRound(0.333, seed, slot);
    expect(total / 100_000).toBeCloseTo(0.333, 2);
  });

  it('smooth noise stays in [-1, 1] and changes gradually', () => {
    const seed = seedOf('smooth');
    let largest = 0;
    let steepest = 0;
    for (let x = 0; x < 50; x += 0.01) {
      const value = smoothNoise(seed, x);
      largest = Math.max(largest, Math.abs(value));
      steepest = Math.max(steepest, Math.abs(smoothNoise(seed, x + 0.01) - value));
    }
    expect(largest).toBeLessThanOrEqual(1);
    expect(largest).toBeGreaterThan(0.5);
    expect(steepest).toBeLessThan(0.05);
  });
});
