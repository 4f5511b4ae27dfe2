import { selectSpecialists } from './specialist-selection';
import { namedCalendarPeriod } from '@aether/llm';
import { resolveWindow, teamWindowLabel, windowFor, windowLabel } from './analysis-window';

describe('selectSpecialists', () => {
  it.each([
    // "usage" is a behavioral keyword, but with an energy word it means consumption.
    ['Analyze my energy usage', ['energy']],
    ['Show my device usage', ['behavioral']],
    ['Analyze my energy usage and my routines', ['behavioral', 'energy']],
    ['How much electricity did the heat pump use?', ['energy']],
    ['What are my evening routines?', ['behavioral']],
    ['What could I automate?', ['behavioral']],
    ['Which lights do I switch on by hand?', ['behavioral']],
    ['Why is the garage sensor unavailable?', ['diagnostic']],
    ['Why is my garage sensor unavailable?', ['diagnostic']],
    ['Why is the porch light not working?', ['diagnostic']],
    ['Which devices are offline?', ['diagnostic']],
    ['Diagnose my home', ['diagnostic']],
    ['Which batteries are low?', ['diagnostic']],
    ['How full is my home battery?', ['diagnostic', 'energy']],
    ['Is my solar battery healthy or broken?', ['diagnostic', 'energy']],
    // Everyone but the custom analysis, which runs for its own questions only.
    ['Tell me something about my house', ['behavioral', 'diagnostic', 'energy']],
    ['Does the heat pump run more on cold days?', ['custom']],
    ['Does my energy use depend on the weather?', ['custom', 'energy']],
    ['ENERGY!!!', ['energy']],
  ])('%s → %j', (query, expected) => {
    expect(selectSpecialists(query)).toEqual(expected);
  });

  it('prefers an explicit list (sorted), and falls back to the question for an empty one', () => {
    expect(selectSpecialists('Analyze my energy usage', ['energy', 'diagnostic'])).toEqual(['diagnostic', 'energy']);
    expect(selectSpecialists('Analyze my energy usage', [])).toEqual(['energy']);
  });
});

describe('resolveWindow', () => {
  it('uses explicit hours or period, else a calendar period the question names, else the rolling window it names (at most a year), else none', () => {
    expect(resolveWindow({ hours: 48 }, 'last 7 days')).toEqual({ hours: 48 });
    expect(resolveWindow({ period: 'last_month' }, 'last 7 days')).toEqual({ period: 'last_month' });
    expect(resolveWindow({}, 'How much did I use yesterday?')).toEqual({ period: 'yesterday' });
    expect(resolveWindow({}, 'Analyze my energy usage over the last 7 days')).toEqual({ hours: 168 });
    expect(resolveWindow({}, 'Analyze my energy usage')).toBeUndefined();
    expect(resolveWindow({}, 'Analyze my energy usage over the last 90 days')).toEqual({ hours: 2160 });
    expect(resolveWindow({}, 'Analyze my energy usage over the last 3 years')).toEqual({ hours: 8784 });
  });

  it("gives each analyst its default window when none is named: a day of energy, 30 days of habits, a week of diagnostics", () => {
    expect(windowFor(undefined, 'energy')).toEqual({ hours: 24 });
    expect(windowFor(undefined, 'diagnostic')).toEqual({ hours: 168 });
    expect(windowFor(undefined, 'behavioral')).toEqual({ hours: 720 });
    expect(windowFor({ hours: 48 }, 'behavioral')).toEqual({ hours: 48 });
    // Energy reads a year from long-term statistics; the logbook and full history, 30 days at most.
    expect(windowFor({ hours: 2160 }, 'energy')).toEqual({ hours: 2160 });
    expect(windowFor({ hours: 2160 }, 'behavioral')).toEqual({ hours: 720 });
    expect(windowFor({ hours: 2160 }, 'diagnostic')).toEqual({ hours: 720 });
    expect(teamWindowLabel(undefined, ['behavioral', 'energy'])).toBe('behavioral 720h, energy 24h windows');
    expect(teamWindowLabel(undefined, ['energy'])).toBe('24h window');
    expect(teamWindowLabel({ period: 'yesterday' }, ['behavioral', 'energy'])).toBe('yesterday');
  });

  it('reads calendar periods, but not rolling windows or two periods at once', () => {
    expect(['today', 'yesterday', 'this week', 'last week', 'this month', 'last month', 'this year', 'last year'].map((p) => namedCalendarPeriod(`energy ${p}`))).toEqual([
      'today', 'yesterday', 'this_week', 'last_week', 'this_month', 'last_month', 'this_year', 'last_year',
    ]);
    // "the last year" is a rolling 12 months, not the calendar year before this one.
    expect(namedCalendarPeriod('energy over the last year')).toBeUndefined();
    expect(namedCalendarPeriod('the day before yesterday')).toBeUndefined();
    expect(namedCalendarPeriod('the past week')).toBeUndefined();
    expect(namedCalendarPeriod('today versus yesterday')).toBeUndefined();
    expect([windowLabel({ hours: 168 }), windowLabel({ period: 'last_week' })]).toEqual(['168h window', 'last week']);
  });
});
