import { selectSpecialists } from './specialist-selection';
import { resolveWindowHours } from './analysis-window';

describe('selectSpecialists', () => {
  it.each([
    // "usage" is a behavioral keyword, so this asks both the energy and the behavioral analyst.
    ['Analyze my energy usage', ['behavioral', 'energy']],
    ['How much electricity did the heat pump use?', ['energy']],
    ['What are my evening routines?', ['behavioral']],
    ['Why is the garage sensor unavailable?', ['diagnostic']],
    ['Is my solar battery healthy or broken?', ['diagnostic', 'energy']],
    ['Tell me something about my house', ['behavioral', 'diagnostic', 'energy']],
    ['ENERGY!!!', ['energy']],
  ])('%s → %j', (query, expected) => {
    expect(selectSpecialists(query)).toEqual(expected);
  });

  it('prefers an explicit list (sorted), and falls back to the question for an empty one', () => {
    expect(selectSpecialists('Analyze my energy usage', ['energy', 'diagnostic'])).toEqual(['diagnostic', 'energy']);
    expect(selectSpecialists('Analyze my energy usage', [])).toEqual(['behavioral', 'energy']);
  });
});

describe('resolveWindowHours', () => {
  it('uses explicit hours, else the window named in the question (clamped to 720), else 24', () => {
    expect(resolveWindowHours(48, 'last 7 days')).toBe(48);
    expect(resolveWindowHours(undefined, 'Analyze my energy usage over the last 7 days')).toBe(168);
    expect(resolveWindowHours(undefined, 'Analyze my energy usage')).toBe(24);
    expect(resolveWindowHours(undefined, 'Analyze my energy usage over the last 90 days')).toBe(720);
  });
});
