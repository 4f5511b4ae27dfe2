import { followUpPeriodText, withoutTimeWindow } from './follow-up.parser';

describe('follow-up texts', () => {
  it('takes the lead-in off a follow-up and the period off a question', () => {
    expect(followUpPeriodText('what about last week?')).toBe('last week');
    expect(followUpPeriodText('And yesterday?')).toBe('yesterday');
    expect(followUpPeriodText('and for the last 3 days')).toBe('the last 3 days');
    expect(withoutTimeWindow('Analyze my energy usage over the last 7 days')).toBe('Analyze my energy usage');
    expect(withoutTimeWindow('How much electricity did we use yesterday?')).toBe('How much electricity did we use');
    expect(withoutTimeWindow('What was my power consumption in the past two weeks?')).toBe('What was my power consumption');
    expect(withoutTimeWindow('Analyze my energy usage for the last 48 hours')).toBe('Analyze my energy usage');
    expect(withoutTimeWindow('Analyze my energy usage')).toBe('Analyze my energy usage');
  });
});
