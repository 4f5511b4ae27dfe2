import type { HaCoreConfig } from '@aether/home-assistant';
import { analysisWindow } from './analyst-steps';

const config = { time_zone: 'Europe/Dublin' } as HaCoreConfig;
const now = new Date('2026-12-03T09:30:00Z');

describe('analysisWindow', () => {
  it("keeps a calendar period within the analyst's bound: a year for energy whole, its last 720 h for the logbook", () => {
    const whole = analysisWindow({ hours: 24, period: 'last_year', maxHours: 8784 }, config, now);
    expect([whole.start.toISOString(), whole.end.toISOString(), whole.text]).toEqual(['2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'last year (8760 h)']);
    const shortened = analysisWindow({ hours: 24, period: 'last_year', maxHours: 720 }, config, now);
    expect([shortened.start.toISOString(), shortened.end.toISOString(), shortened.text]).toEqual(['2025-12-02T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'the last 720 h of last year']);
  });

  it('bounds a rolling window the same way', () => {
    const { start, end, hours } = analysisWindow({ hours: 2160, maxHours: 720 }, config, now);
    expect([start.toISOString(), end.toISOString(), hours]).toEqual(['2026-11-03T09:30:00.000Z', now.toISOString(), 720]);
  });
});
