import type { AutomationSuggestion, Finding } from '@aether/core';
import { domainOf, type BehaviorFigures, type ManualHabit } from './behavior-patterns';

export type BehavioralFinding = Finding & { specialist: 'behavioral' };

/** A habit this regular is worth automating; a less regular one is reported as an insight. */
const AUTOMATE_MIN_FREQUENCY = 0.5;
/** Findings about entities that change together: the most frequent pairs only. */
const CO_CHANGE_FINDINGS = 3;
/** A device still on at 03:00 on this many nights is a concern. */
const LEFT_ON_MIN_NIGHTS = 3;
/** An automation people undo this often (and at least this share of its changes) does not do what they want. */
const OVERRIDDEN_MIN_TIMES = 3;
const OVERRIDDEN_MIN_SHARE = 0.2;

/**
 * The service that sets each state a habit may be about (others are reported, not automated).
 * Unlocking is never suggested: a lock that opens by the clock is a risk, not a convenience.
 */
const SERVICE_FOR_STATE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  on: { default: 'turn_on' },
  off: { default: 'turn_off' },
  open: { cover: 'open_cover', valve: 'open_valve' },
  closed: { cover: 'close_cover', valve: 'close_valve' },
  locked: { lock: 'lock' },
};

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];
const WEEKEND = ['sat', 'sun'];

/** Rule-based findings over the computed figures: every number quoted comes from `figures`. */
export function deriveBehavioralFindings(figures: BehaviorFigures): BehavioralFinding[] {
  const findings: BehavioralFinding[] = [];
  const add = (finding: Omit<BehavioralFinding, 'specialist'>) => findings.push({ specialist: 'behavioral', ...finding });

  for (const habit of figures.habits) {
    const suggestion = automationFor(habit);
    const counted = habit.routine === 'weekdays' ? habit.weekdays : habit.routine === 'weekends' ? habit.weekends : habit.all;
    const automate = suggestion !== undefined && habit.frequency >= AUTOMATE_MIN_FREQUENCY;
    add({
      type: automate ? 'recommendation' : 'insight',
      title: `${habit.name} is ${actionPhrase(habit.state)} by hand around ${habit.usualTime}`,
      description:
        `On ${counted.days} of ${counted.of} ${dayWord(habit)} (${percent(habit.frequency)}), between ${habit.earliest} and ${habit.latest}.` +
        (automate ? ` An automation at ${habit.usualTime} would do it for you.` : ''),
      confidence: round2(habit.frequency),
      entities: [habit.entityId],
      evidence: {
        usualTime: habit.usualTime,
        earliest: habit.earliest,
        latest: habit.latest,
        days: habit.all.days,
        windowDays: habit.all.of,
        weekdays: `${habit.weekdays.days} of ${habit.weekdays.of}`,
        weekends: `${habit.weekends.days} of ${habit.weekends.of}`,
        routine: habit.routine,
      },
      ...(automate ? { automationSuggestion: suggestion } : {}),
    });
  }

  const { actors } = figures;
  if (actors.total > 0) {
    add({
      type: 'insight',
      title: `${percent(actors.person / actors.total)} of device changes were made by people, ${percent(actors.automation / actors.total)} by automations`,
      description:
        `Of ${actors.total} changes to lights, switches and other controllable devices: ${actors.person} by a person in Home Assistant, ` +
        `${actors.automation} by automations or scripts, ${actors.device} with no user or automation in their context (a physical switch or the device itself)` +
        (actors.integration > 0 ? `, ${actors.integration} by integrations` : '') +
        '.',
      confidence: 0.9,
      entities: [],
      evidence: { ...actors },
    });
  }

  for (const pair of figures.coChanges.slice(0, CO_CHANGE_FINDINGS)) {
    add({
      type: 'insight',
      title: `${pair.first.name} and ${pair.second.name} change together`,
      description: `One changed within 5 minutes of the other ${pair.times} times (${percent(pair.share)} of the changes of the less active one).`,
      confidence: round2(pair.share),
      entities: [pair.first.entityId, pair.second.entityId],
      evidence: { times: pair.times, share: round2(pair.share) },
    });
  }

  for (const usage of figures.deviceUsage.filter((u) => u.nightsLeftOn >= LEFT_ON_MIN_NIGHTS)) {
    add({
      type: 'concern',
      title: `${usage.name} was left on overnight on ${usage.nightsLeftOn} nights`,
      description: `It was still on at 03:00 on ${usage.nightsLeftOn} nights of the window (${usage.onHours.toFixed(1)} h on in all, switched on ${usage.cycles} times).`,
      confidence: 0.8,
      entities: [usage.entityId],
      evidence: { nightsLeftOn: usage.nightsLeftOn, onHours: usage.onHours, cycles: usage.cycles },
    });
  }

  for (const automation of figures.automations) {
    const share = automation.changes > 0 ? automation.overrides / automation.changes : 0;
    if (automation.overrides < OVERRIDDEN_MIN_TIMES || share < OVERRIDDEN_MIN_SHARE) continue;
    add({
      type: 'concern',
      title: `People undo "${automation.name}" ${automation.overrides} of ${automation.changes} times`,
      description:
        `Within an hour of ${automation.overrides} of the ${automation.changes} changes it made (${percent(share)}), a person set the device back ` +
        `(${automation.entities.join(', ')}); its triggers or conditions may not match what people want.`,
      confidence: round2(Math.min(0.95, 0.5 + share / 2)),
      entities: [automation.entityId, ...automation.entities],
      evidence: { runs: automation.runs, changes: automation.changes, overrides: automation.overrides, share: round2(share) },
    });
  }

  if (figures.stateChanges === 0) {
    add({
      type: 'data_quality_flag',
      title: 'The logbook holds no state changes in the window',
      description: `Home Assistant's logbook recorded no state changes between ${figures.window.start} and ${figures.window.end}; check the recorder's retention and exclusions.`,
      confidence: 0.8,
      entities: [],
      evidence: { stateChanges: 0 },
    });
  }
  return findings;
}

/** A time-triggered automation doing what the person does by hand, on the days they do it. */
function automationFor(habit: ManualHabit): AutomationSuggestion | undefined {
  const domain = domainOf(habit.entityId);
  const services = SERVICE_FOR_STATE[habit.state];
  const service = services?.[domain] ?? services?.['default'];
  if (!service) return undefined;
  const days = habit.routine === 'weekdays' ? WEEKDAYS : habit.routine === 'weekends' ? WEEKEND : null;
  return {
    alias: `${habit.name} ${habit.state} at ${habit.usualTime}${days ? ` on ${habit.routine}` : ''}`,
    description: `${habit.name} is ${actionPhrase(habit.state)} by hand around ${habit.usualTime} on most ${dayWord(habit)}; this does it automatically.`,
    triggers: [{ trigger: 'time', at: `${habit.usualTime}:00` }],
    ...(days ? { conditions: [{ condition: 'time', weekday: days }] } : {}),
    actions: [{ action: `${domain}.${service}`, target: { entity_id: habit.entityId } }],
  };
}

function actionPhrase(state: string): string {
  switch (state) {
    case 'on':
    case 'off':
      return `switched ${state}`;
    case 'open':
      return 'opened';
    case 'closed':
      return 'closed';
    case 'locked':
    case 'unlocked':
      return state;
    default:
      return `set to ${state}`;
  }
}

/** "evenings", "weekday mornings": the days a habit is counted over, named by its time. */
function dayWord(habit: ManualHabit): string {
  const hour = Number(habit.usualTime.slice(0, 2));
  const part = hour >= 5 && hour < 12 ? 'mornings' : hour >= 12 && hour < 17 ? 'afternoons' : hour >= 17 && hour < 22 ? 'evenings' : 'nights';
  return habit.routine === 'every day' ? part : `${habit.routine === 'weekdays' ? 'weekday' : 'weekend'} ${part}`;
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)} %`;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
