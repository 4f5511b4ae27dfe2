import type { ModelPrice } from '@aether/config';

export interface TokenCounts {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
}

/**
 * USD for `tokens` of one model at `price` (USD per 1M tokens): cached prompt tokens at the cached
 * price (the input price when none is given), the other prompt tokens at the input price, completion
 * tokens (reasoning included, as providers bill them) at the output price.
 */
export function costUsd(tokens: TokenCounts, price: ModelPrice): number {
  const uncached = Math.max(0, tokens.promptTokens - tokens.cachedTokens);
  const micro = uncached * price.input + tokens.cachedTokens * (price.cached ?? price.input) + tokens.completionTokens * price.output;
  // Rounded to a millionth of a dollar: prices per 1M tokens times whole tokens, without float noise.
  return Math.round(micro) / 1_000_000;
}
