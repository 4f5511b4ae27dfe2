import { SLOT_MINUTES } from '../../time/slot-time';
import { max, min } from '../../time/fast-math';

/** A stretch of constant power within an appliance programme. */
export interface RunPhase {
  minutes: number;
  watts: number;
}

/** One use of an appliance: a programme of phases starting at a local wall-clock minute. */
export interface ApplianceRun {
  /** Local wall-clock minutes since 1970-01-01T00:00 local time. */
  startWallMinute: number;
  phases: readonly RunPhase[];
}

export function runDurationMinutes(run: ApplianceRun): number {
  return run.phases.reduce((sum, phase) => sum + phase.minutes, 0);
}

export function runEndWallMinute(run: ApplianceRun): number {
  return run.startWallMinute + runDurationMinutes(run);
}

/** Mean power (W) the runs draw over the slot starting at `slotWallMinute` (the overlap-weighted phase powers). */
export function meanRunWatts(runs: readonly ApplianceRun[], slotWallMinute: number): number {
  const slotEnd = slotWallMinute + SLOT_MINUTES;
  let wattMinutes = 0;
  for (const run of runs) {
    let phaseStart = run.startWallMinute;
    for (const phase of run.phases) {
      if (phaseStart >= slotEnd) break;
      const phaseEnd = phaseStart + phase.minutes;
      const overlap = min(phaseEnd, slotEnd) - max(phaseStart, slotWallMinute);
      if (overlap > 0) wattMinutes += overlap * phase.watts;
      phaseStart = phaseEnd;
    }
  }
  return wattMinutes / SLOT_MINUTES;
}
