import { selectSpecialists } from './specialist-selection';
import { namedCalendarPeriod } from '@aether/llm';
import { resolveWindow, windowLabel } from './analysis-window';

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

describe('resolveWindow', () => {
  it('uses explicit hours or period, else a calendar period the question names, else the rolling window it names (clamped to 720), else 24 h', () => {
    expect(resolveWindow({ hours: 48 }, 'last 7 days')).toEqual({ hours: 48 });
    expect(resolveWindow({ period: 'last_month' }, 'last 7 days')).toEqual({ period: 'last_month' });
    expect(resolveWindow({}, 'How much did I use yesterday?')).toEqual({ period: 'yesterday' });
    expect(resolveWindow({}, 'Analyze my energy usage over the last 7 days')).toEqual({ hours: 168 });
    expect(resolveWindow({}, 'Analyze my energy usage')).toEqual({ hours: 24 });
    expect(resolveWindow({}, 'Analyze my energy usage over the last 90 days')).toEqual({ hours: 720 });
  });

  it('reads calendar periods, but not rolling windows or two periods at once', () => {
    expect(['today', 'yesterday', 'this week', 'last week', 'this month', 'last month'].map((p) => namedCalendarPeriod(`energy ${p}`))).toEqual([
      'today', 'yesterday', 'this_week', 'last_week', 'this_month', 'last_month',
    ]);
    expect(namedCalendarPeriod('the day before yesterday')).toBeUndefined();
    expect(namedCalendarPeriod('the past week')).toBeUndefined();
    expect(namedCalendarPeriod('today versus yesterday')).toBeUndefined();
    expect([windowLabel({ hours: 168 }), windowLabel({ period: 'last_week' })]).toEqual(['168h window', 'last week']);
  });
});
