import type { HaLogbookEntry } from '@aether/home-assistant';
import { LocalClock } from '../energy/local-clock';
import { computeBehaviorFigures, type BehaviorFigures } from './behavior-patterns';
import { deriveBehavioralFindings, type BehavioralFinding } from './behavioral-findings';

/** Everything the behavioral computation needs, as plain data a worker thread receives by structured clone. */
export interface BehavioralAnalysisInput {
  /** HA's logbook rows for the window (`HomeAssistantClient.getLogbook`). */
  entries: HaLogbookEntry[];
  /** Epoch milliseconds. */
  start: number;
  end: number;
  hours: number;
  /** A zone the runtime knows (already resolved by `LocalClock.forZone`). */
  timeZone: string;
}

export interface BehavioralAnalysisOutput {
  figures: BehaviorFigures;
  findings: BehavioralFinding[];
}

/**
 * The CPU-heavy part of a behavioral analysis — classifying tens of thousands of logbook rows and
 * searching them for habits, co-changes and usage — as one task for a worker thread
 * (behavioral-analysis.worker.ts).
 */
export function analyseBehavior(input: BehavioralAnalysisInput): BehavioralAnalysisOutput {
  const figures = computeBehaviorFigures({
    entries: input.entries,
    start: new Date(input.start),
    end: new Date(input.end),
    hours: input.hours,
    clock: new LocalClock(input.timeZone),
  });
  return { figures, findings: deriveBehavioralFindings(figures) };
}
