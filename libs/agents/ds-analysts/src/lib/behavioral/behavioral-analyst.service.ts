import { readFindings, SPECIALIST_MAX_WINDOW_HOURS, type AgentEvent, type CalendarPeriod } from '@aether/core';
import type { HomeAssistantClient } from '@aether/home-assistant';
import type { AnalysisPool } from '../analysis-pool/analysis-pool';
import { analysisWindow, callHomeAssistant, status, throwIfAborted } from '../analyst-steps';
import type { BehavioralAnalysisInput, BehavioralAnalysisOutput } from './behavioral-analysis.task';
import { formatBehavioralReport } from './behavioral-report.format';

/** Habits need days to show: without a window the analysis reads the longest one, 30 days. */
export const DEFAULT_BEHAVIORAL_WINDOW_HOURS = SPECIALIST_MAX_WINDOW_HOURS.behavioral;

export interface BehavioralAnalysisParams {
  /** Length of the window ending now (checked where the request is read; at most 720: longer is shortened), default 720. */
  hours?: number;
  /** A calendar period in the home's time zone instead. */
  period?: CalendarPeriod;
  /** The question being answered, echoed in the result. */
  query?: string;
}

/**
 * The behavioral specialist: reads Home Assistant's logbook for the window and finds, in code,
 * what people do by hand at about the same time (automation candidates, with a suggested
 * automation), who changes the devices (people, automations, switches), entities that change
 * together, weekday/weekend routines and device usage. The search runs in a worker thread of
 * the analysis pool, so the service keeps answering while it works.
 */
export class BehavioralAnalyst {
  constructor(
    private readonly homeAssistant: HomeAssistantClient,
    private readonly analysisPool: AnalysisPool,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async *analyse(params: BehavioralAnalysisParams, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    throwIfAborted(signal, 'behavioral analysis');
    const now = this.now();
    const config = await callHomeAssistant(() => this.homeAssistant.getConfig());
    const { start, end, hours, text: windowText, clock, fellBack } = analysisWindow({ hours: params.hours ?? DEFAULT_BEHAVIORAL_WINDOW_HOURS, period: params.period, maxHours: SPECIALIST_MAX_WINDOW_HOURS.behavioral }, config, now);

    yield status(`behavioral analyst reading ${windowText} of the logbook from Home Assistant…`);
    const entries = await callHomeAssistant(() => this.homeAssistant.getLogbook({ start, end }));
    throwIfAborted(signal, 'behavioral analysis');

    yield status(`behavioral analyst looking for habits in ${entries.length} logbook entries…`);
    const input: BehavioralAnalysisInput = { entries, start: start.getTime(), end: end.getTime(), hours, timeZone: clock.timeZone };
    const { figures, findings: computed } = await this.analysisPool
      .run<BehavioralAnalysisInput, BehavioralAnalysisOutput>('behavioral-analysis', 'analyseBehavior', input, { signal })
      .catch((error: unknown) => {
        throwIfAborted(signal, 'behavioral analysis');
        throw error;
      });
    // Checked before they leave: the worker's output crossed a thread boundary as plain data.
    const findings = readFindings(computed, 'ds-analysts', 'the behavioral analyst');
    for (const line of formatBehavioralReport({ figures, findings, ...(fellBack && config.time_zone ? { unknownTimeZone: config.time_zone } : {}) })) {
      yield { type: 'token', agent: 'ds-analysts', content: `${line}\n` };
    }
    yield { type: 'result', agent: 'ds-analysts', data: { specialist: 'behavioral', query: params.query ?? '', ...figures, findings } };
  }
}

