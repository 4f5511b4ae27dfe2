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
