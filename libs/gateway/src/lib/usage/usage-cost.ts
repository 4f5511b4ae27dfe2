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

/**
 * The price of `model`: its own entry, else the longest entry it is a dated or tagged variant of
 * (`gpt-4o` prices `gpt-4o-2024-08-06`, which providers name as the model that served the call).
 */
export function priceOf(model: string, prices: Readonly<Record<string, ModelPrice>>): ModelPrice | undefined {
  if (Object.hasOwn(prices, model)) return prices[model];
  let best: string | undefined;
  for (const key of Object.keys(prices)) {
    if (model.startsWith(`${key}-`) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : prices[best];
}
