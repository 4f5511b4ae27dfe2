import fc from 'fast-check';
import { AgentError } from './agent-contract';
import {
  ANALYSIS_WINDOW_HOURS,
  calendarPeriodLabel,
  crossReference,
  readCalendarPeriod,
  readDepth,
  readFindings,
  readPriorFindings,
  readSpecialists,
  readStrategy,
  readWindowHours,
  type Finding,
} from './data-science-protocol';

describe('the data science request contract', () => {
  it('reads data.hours: absent, or a number within 1..8784 (a year) rounded to whole hours', () => {
    expect(readWindowHours(undefined, 'ds-orchestrator')).toBeUndefined();
    expect(readWindowHours({}, 'ds-orchestrator')).toBeUndefined();
    expect(readWindowHours({ hours: null }, 'ds-orchestrator')).toBeUndefined();
    expect(readWindowHours({ hours: 48 }, 'ds-orchestrator')).toBe(48);
    expect(readWindowHours({ hours: 1.4 }, 'ds-orchestrator')).toBe(1);
    expect(readWindowHours({ hours: 8784 }, 'ds-orchestrator')).toBe(8784);
  });

  it('refuses every other data.hours as invalid_input naming the field, never clamping it', () => {
    const valid = (value: unknown) => typeof value === 'number' && value >= ANALYSIS_WINDOW_HOURS.min && value <= ANALYSIS_WINDOW_HOURS.max;
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer(), fc.string(), fc.boolean(), fc.array(fc.integer()), fc.object(), fc.bigInt()), (hours) => {
        fc.pre(!valid(hours));
        let thrown: unknown;
        try {
          readWindowHours({ hours }, 'ds-analysts');
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(AgentError);
        expect(thrown).toMatchObject({ code: 'invalid_input', agent: 'ds-analysts', message: expect.stringContaining('data.hours must be a number of hours from 1 to 8784') });
      }),
    );
  });

  it('reads data.specialists: absent, or a non-empty list of known specialists, sorted and without duplicates', () => {
    expect(readSpecialists(undefined, 'ds-orchestrator')).toBeUndefined();
    expect(readSpecialists({ specialists: ['energy', 'diagnostic', 'energy'] }, 'ds-orchestrator')).toEqual(['diagnostic', 'energy']);
    for (const specialists of [[], ['astrology'], ['energy', 'astrology'], 'energy', [1], {}]) {
      expect(() => readSpecialists({ specialists }, 'ds-orchestrator')).toThrow(
        expect.objectContaining({ code: 'invalid_input', message: expect.stringContaining('data.specialists must be a non-empty list') }),
      );
    }
  });
});

describe('data.period', () => {
  it('reads a calendar period, or nothing', () => {
    expect(readCalendarPeriod(undefined, 'ds-analysts')).toBeUndefined();
    expect(readCalendarPeriod({ period: 'last_week' }, 'ds-analysts')).toBe('last_week');
    expect(calendarPeriodLabel('last_week')).toBe('last week');
  });

  it('reads a month by name or of a given year, and names it as a person would', () => {
    expect(readCalendarPeriod({ period: 'november' }, 'ds-analysts')).toBe('november');
    expect(readCalendarPeriod({ period: '2025-11' }, 'ds-analysts')).toBe('2025-11');
    expect(calendarPeriodLabel('november')).toBe('November');
    expect(calendarPeriodLabel('2025-11')).toBe('November 2025');
  });

  it.each([
    [{ period: 'last_fortnight' }, /data.period must be one of today, yesterday/],
    [{ period: '2025-13' }, /a month of a year \(2025-11\)/],
    [{ period: 'November' }, /a month name \(november\)/],
    [{ period: 'yesterday', hours: 24 }, /data.hours or as data.period, not both/]])(
    'refuses %j as invalid_input',
    (data, message) => {
      expect(() => readCalendarPeriod(data, 'ds-orchestrator')).toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringMatching(message) }));
    },
  );
});

describe('findings', () => {
  const habit: Finding = {
    specialist: 'behavioral',
    type: 'recommendation',
    title: 'Porch Light is switched on by hand around 19:05',
    description: 'On 24 of 30 evenings.',
    confidence: 0.8,
    entities: ['light.porch'],
    evidence: { occurrences: 24, days: 30, usualTime: '19:05' },
    automationSuggestion: {
      alias: 'Porch Light on at 19:05',
      description: 'Turns on the porch light when it is usually switched on by hand.',
      triggers: [{ trigger: 'time', at: '19:05:00' }],
      actions: [{ action: 'light.turn_on', target: { entity_id: 'light.porch' } }],
    },
  };

  it('reads well-formed findings as they are', () => {
    expect(readFindings([habit], 'ds-orchestrator', 'the behavioral analyst')).toEqual([habit]);
    expect(readFindings([], 'ds-orchestrator', 'the energy analyst')).toEqual([]);
  });

  it.each<[string, unknown, RegExp]>([
    ['not a list', { title: 'x' }, /findings must be a list/],
    ['an unknown type', [{ ...habit, type: 'hunch' }], /findings\[0\]\.type must be one of insight, concern, recommendation, data_quality_flag, got "hunch"/],
    ['a confidence above 1', [habit, { ...habit, confidence: 24 }], /findings\[1\]\.confidence must be a number from 0 to 1, got 24/],
    ['no evidence', [{ ...habit, evidence: undefined }], /findings\[0\]\.evidence must be an object of figures/],
    ['an unknown specialist', [{ ...habit, specialist: 'astrologer' }], /findings\[0\]\.specialist must be one of behavioral, custom, diagnostic, energy/],
    ['a suggestion without actions', [{ ...habit, automationSuggestion: { ...habit.automationSuggestion, actions: [] } }], /findings\[0\]\.automationSuggestion must be an automation draft/],
    ['devices that are not ids', [{ ...habit, devices: [3] }], /findings\[0\]\.devices must be a list of device ids/],
    ['a cross-reference without relation', [{ ...habit, crossReferences: [{ specialist: 'energy', title: 't', entities: [] }] }], /findings\[0\]\.crossReferences must be a list of/],
  ])('refuses %s as upstream_error naming the sender, finding and field', (_case, findings, message) => {
    expect(() => readFindings(findings, 'ds-orchestrator', 'the behavioral analyst')).toThrow(
      expect.objectContaining({ code: 'upstream_error', agent: 'ds-orchestrator', message: expect.stringMatching(message) }),
    );
    expect(() => readFindings(findings, 'ds-orchestrator', 'the behavioral analyst')).toThrow(/^the behavioral analyst sent an invalid finding/);
  });
});

describe('teamwork: strategy, depth and cross-references', () => {
  const base = { description: 'd', confidence: 0.8, evidence: {} };
  const meterTop: Finding = { ...base, specialist: 'energy', type: 'insight', title: 'Heat Pump is the top consumer', entities: ['sensor.heat_pump_energy'], devices: ['hp'] };
  const stale: Finding = { ...base, specialist: 'diagnostic', type: 'concern', title: 'Flow temperature is stale', entities: ['sensor.heat_pump_flow'], devices: ['hp'] };
  const porch: Finding = { ...base, specialist: 'behavioral', type: 'recommendation', title: 'Porch by hand', entities: ['light.porch'] };
  const porchOutage: Finding = { ...base, specialist: 'diagnostic', type: 'data_quality_flag', title: 'Porch light drops out', entities: ['light.porch'] };

  it('reads strategy and depth, refusing unknown values as invalid_input', () => {
    expect(readStrategy({ strategy: 'teamwork' }, 'ds-orchestrator')).toBe('teamwork');
    expect(readStrategy({}, 'ds-orchestrator')).toBeUndefined();
    expect(readDepth({ depth: 'deep' }, 'ds-orchestrator')).toBe('deep');
    expect(() => readDepth({ depth: 3 }, 'ds-orchestrator')).toThrow(expect.objectContaining({ code: 'invalid_input', message: 'data.depth must be one of quick, standard, deep, got 3.' }));
    expect(() => readStrategy({ strategy: 'solo' }, 'ds-orchestrator')).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });

  it("cites another specialist's findings about the same entity or device: agrees when both are negative or both positive, else disagrees", () => {
    const [cited] = crossReference([stale], [meterTop, porch]);
    expect(cited.crossReferences).toEqual([{ specialist: 'energy', title: meterTop.title, relation: 'disagrees', entities: meterTop.entities }]);
    expect(crossReference([porchOutage], [porch])[0].crossReferences).toEqual([{ specialist: 'behavioral', title: porch.title, relation: 'disagrees', entities: ['light.porch'] }]);
    expect(crossReference([stale], [{ ...porchOutage, entities: ['sensor.heat_pump_flow'] }])[0].crossReferences).toBeUndefined(); // same specialist
    expect(crossReference([{ ...stale, specialist: 'behavioral' }], [stale])[0].crossReferences?.[0].relation).toBe('agrees');
    // Nothing in common: the finding as it was; citing again adds nothing twice.
    expect(crossReference([porch], [meterTop])[0]).toBe(porch);
    expect(crossReference(crossReference([stale], [meterTop]), [meterTop])[0].crossReferences).toHaveLength(1);
  });

  it('reads prior findings of a request, refusing malformed ones as invalid_input', () => {
    expect(readPriorFindings({ priorFindings: [meterTop] }, 'ds-analysts')).toEqual([meterTop]);
    expect(readPriorFindings({}, 'ds-analysts')).toBeUndefined();
    expect(() => readPriorFindings({ priorFindings: [{ title: 'x' }] }, 'ds-analysts')).toThrow(
      expect.objectContaining({ code: 'invalid_input', message: expect.stringMatching(/^data\.priorFindings: the caller sent an invalid finding: findings\[0\]\.specialist/) }),
    );
  });
});
