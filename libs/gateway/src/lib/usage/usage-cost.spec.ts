import { costUsd, priceOf } from './usage-cost';

describe('usage cost', () => {
  it('bills cached prompt tokens at the cached price, the rest at input, completion (reasoning included) at output', () => {
    expect(costUsd({ promptTokens: 2700, completionTokens: 400, cachedTokens: 2176 }, { input: 2, output: 8, cached: 0.5 })).toBe(0.005336);
    // Without a cached price, cached tokens cost as input.
    expect(costUsd({ promptTokens: 1000, completionTokens: 0, cachedTokens: 600 }, { input: 3, output: 15 })).toBe(0.003);
  });

  it("finds a model's price by its name, else by the longest entry it is a dated variant of", () => {
    const prices = { 'gpt-4o': { input: 2.5, output: 10 }, 'gpt-4o-mini': { input: 0.15, output: 0.6 } };
    expect(priceOf('gpt-4o', prices)).toBe(prices['gpt-4o']);
    expect(priceOf('gpt-4o-2024-08-06', prices)).toBe(prices['gpt-4o']);
    expect(priceOf('gpt-4o-mini-2024-07-18', prices)).toBe(prices['gpt-4o-mini']);
    expect(priceOf('gpt-4', prices)).toBeUndefined();
    expect(priceOf('constructor', prices)).toBeUndefined();
  });
});
