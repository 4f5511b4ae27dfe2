import { figuresIn, FigureSources } from './figure-check';

describe('figuresIn', () => {
  it('reads figures as people write them, with their decimals', () => {
    expect(figuresIn('Total 12.345 kWh, 1,234.5 W, 12,4 kWh (decimal comma), 42 % and -3 °C.')).toEqual([
      { text: '12.345', value: 12.345, decimals: 3 },
      { text: '1,234.5', value: 1234.5, decimals: 1 },
      { text: '12,4', value: 12.4, decimals: 1 },
      { text: '42', value: 42, decimals: 0 },
      { text: '-3', value: -3, decimals: 0 },
    ]);
  });

  it('skips list numbering and digits that are part of a name', () => {
    expect(figuresIn('1. Fridge uses CO2 sensors\n2) A2A calls\n  10. Heat pump')).toEqual([]);
  });
});

describe('FigureSources', () => {
  const sources = new FigureSources(['Grid import: 12.345 kWh, peak 2,150 W at 18:00 on 2026-12-04; share 0.42']);

  it.each([
    ['12.345 kWh', 'as computed'],
    ['12.3 kWh', 'rounded to one decimal'],
    ['12 kWh', 'rounded to a whole number'],
    ['12345 Wh', 'in Wh'],
    ['2.15 kW', 'in kW'],
    ['42 %', 'a fraction as a percentage'],
    ['at 18:00 on 2026-12-04', 'a time and a date'],
  ])('verifies %s (%s)', (text) => {
    expect(sources.unverified(text)).toEqual([]);
  });

  it.each([
    ['12.4 kWh', ['12.4']],
    ['about 13.5 kWh, costing €3.10', ['13.5', '3.10']],
    ['12.36 kWh', ['12.36']],
  ])('flags %s', (text, flagged) => {
    expect(sources.unverified(text)).toEqual(flagged);
  });
});

describe('FigureSources over a long report', () => {
  /** The rule itself, source by source: what the indexed lookup must agree with. */
  function verifiedOneByOne(sourceValues: number[], text: string): boolean {
    const [figure] = figuresIn(text);
    const scale = 10 ** figure.decimals;
    return sourceValues.some((value) => [1, 1000, 0.001, 100].some((step) => Math.abs(value * step * scale - figure.value * scale) <= 0.5 + 1e-9));
  }

  it('agrees with checking every source figure, for figures near and far from the sources', () => {
    // Deterministic pseudo-random figures, as a 30-day report has thousands of them.
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const sourceValues = Array.from({ length: 3000 }, () => Math.round(next() * 500_000) / 1000);
    const sources = new FigureSources([sourceValues.map((v) => v.toFixed(3)).join(' kWh, ')]);
    const written = [
      ...sourceValues.slice(0, 300).map((v) => v.toFixed(1)),
      ...sourceValues.slice(0, 300).map((v) => (v * 1000).toFixed(0)),
      ...Array.from({ length: 300 }, () => (next() * 600).toFixed(2)),
    ];
    const digitRuns = sourceValues.flatMap((v) => v.toFixed(3).split('.').map(Number));
    for (const text of written) {
      expect({ text, verified: sources.unverified(`${text} kWh`).length === 0 }).toEqual({
        text,
        verified: verifiedOneByOne([...sourceValues, ...digitRuns], `${text} kWh`),
      });
    }
  });
});
