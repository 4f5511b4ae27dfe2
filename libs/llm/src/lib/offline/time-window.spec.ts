import { namedCalendarPeriod, parseTimeWindowHours, periodOnlyFollowUpHours } from './time-window';

describe('parseTimeWindowHours', () => {
  it.each([
    ['Analyze my energy usage over the last 7 days', 168],
    ['what happened in the past 48 hours?', 48],
    ['energy in the last 24h', 24],
    ['show the last 3 hrs', 3],
    ['last 90 minutes of power', 1.5],
    ['the past 1.5 hours', 1.5],
    ['usage for the past two weeks', 336],
    ['in the last few days', 72],
    ['over a couple of days', 48],
    ['over the last month', 720],
    ['the previous week', 168],
    ['anything odd last night?', 24],
    ['compare the past day with normal', 24],
    ['how was the heating this week', 168],
    ['this month so far', 720],
    ['what did the lights do yesterday', 48],
    ['the day before yesterday', 72],
    ['How much did I use today?', 24],
    ['this morning the kitchen was cold', 24],
    ['Last Hour', 1],
    ['7d energy report', 168],
    ['2 weeks of history', 336],
  ])('%s → %d hours', (text, hours) => {
    expect(parseTimeWindowHours(text)).toBe(hours);
  });

  it.each([
    'Analyze my energy usage',
    'turn on the lights twice a day',
    'I have 3 lights in the kitchen',
    'sensor.power_meter_1 is unavailable',
    '',
  ])('%j names no window', (text) => {
    expect(parseTimeWindowHours(text)).toBeUndefined();
  });

  it('takes the first window mentioned', () => {
    expect(parseTimeWindowHours('compare yesterday with the last 7 days')).toBe(48);
    expect(parseTimeWindowHours('the last 7 days versus yesterday')).toBe(168);
  });

  it('ignores zero-length windows', () => {
    expect(parseTimeWindowHours('the last 0 days')).toBeUndefined();
  });
});

describe('periodOnlyFollowUpHours', () => {
  it.each([
    ['and yesterday?', 48],
    ['And yesterday?', 48],
    ['what about last week?', 168],
    ['and the last 3 days?', 72],
    ['How about the past two weeks?', 336],
    ['and the day before yesterday?', 72],
    ['today?', 24],
    ['and for this month', 720],
  ])('%s → %d h', (text, hours) => {
    expect(periodOnlyFollowUpHours(text)).toBe(hours);
  });

  it.each(['and the kitchen yesterday?', 'How much energy did I use yesterday?', 'and the kitchen?', 'thanks!', '', 'what about it'])('"%s" is not a period-only follow-up', (text) => {
    expect(periodOnlyFollowUpHours(text)).toBeUndefined();
  });
});

describe('namedCalendarPeriod: months', () => {
  it.each([
    ['How much energy did I use in November?', 'november'],
    ['Energy during March', 'march'],
    ['energy for the month of May', 'may'],
    ['What did the heat pump use in last November?', 'november'],
    ['Analyze my energy usage for November 2025', '2025-11'],
    ['energy in March 2025', '2025-03'],
    ['How was January 2026?', '2026-01'],
  ])('%s → %s', (question, period) => {
    expect(namedCalendarPeriod(question)).toBe(period);
  });

  it.each(['May I see my energy usage?', 'How much energy did I use?', 'energy in November and in December', 'energy in November this month'])('"%s" names no single month', (question) => {
    expect(namedCalendarPeriod(question)).toBeUndefined();
  });
});
