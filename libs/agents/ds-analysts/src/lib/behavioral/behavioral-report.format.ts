import type { Finding } from '@aether/core';
import { CO_CHANGE_MIN_TIMES, HABIT_MIN_DAYS, type BehaviorFigures } from './behavior-patterns';

/** Rows of the co-change and device-usage lists (the figures keep them all). */
const LISTED_ROWS = 10;

export interface BehavioralReportInput {
  figures: BehaviorFigures;
  findings: readonly Finding[];
  /** Set when HA's time zone was unknown and UTC was used instead. */
  unknownTimeZone?: string;
}

/** Renders the behavioral analyst's report as markdown lines (no trailing newlines), like the energy report. */
export function formatBehavioralReport({ figures, findings, unknownTimeZone }: BehavioralReportInput): string[] {
  const { window, actors } = figures;
  const lines: string[] = [];
  // Not "Window:", which starts the energy report (a team report may hold both).
  lines.push(`Logbook window: ${window.start} → ${window.end} (${window.hours} h)`);
  if (window.coveredFrom) {
    const days = (Date.parse(window.end) - Date.parse(window.coveredFrom)) / 86_400_000;
    lines.push(
      `Coverage: the logbook holds only the last ${days.toFixed(1)} days (from ${window.coveredFrom}; Home Assistant keeps \`purge_keep_days\` of it): days are counted from there.`,
    );
  }
  lines.push(
    unknownTimeZone
      ? `Time zone: ${figures.timeZone} (Home Assistant's time zone "${unknownTimeZone}" is not recognised)`
      : `Time zone: ${figures.timeZone}`,
  );
  lines.push(`Logbook: ${figures.stateChanges} state changes of ${figures.entities} entities`);
  if (actors.total > 0) {
    const share = (n: number) => `${n} (${((n / actors.total) * 100).toFixed(1)} %)`;
    lines.push(
      `Who changed lights, switches and other devices (${actors.total} changes): people ${share(actors.person)}, automations ${share(actors.automation)}, ` +
        `physical switch or device ${share(actors.device)}${actors.integration > 0 ? `, integrations ${share(actors.integration)}` : ''}`,
    );
  }

  lines.push('');
  if (figures.habits.length === 0) {
    lines.push(`Automation candidates: none (no action done by hand at about the same time on ${HABIT_MIN_DAYS} or more days)`);
  } else {
    lines.push(`Automation candidates (done by hand at about the same time on ${HABIT_MIN_DAYS} or more days):`);
    lines.push('| Device | Entity | Action | Usual time | Days | Share | Routine |');
    lines.push('|---|---|---|---|---:|---:|---|');
    for (const habit of figures.habits) {
      const counted = habit.routine === 'weekdays' ? habit.weekdays : habit.routine === 'weekends' ? habit.weekends : habit.all;
      lines.push(
        `| ${cell(habit.name)} | ${habit.entityId} | ${habit.state} | ${habit.usualTime} (${habit.earliest}–${habit.latest}) | ${counted.days} of ${counted.of} | ${(habit.frequency * 100).toFixed(1)} % | ${habit.routine} (weekdays ${habit.weekdays.days}/${habit.weekdays.of}, weekends ${habit.weekends.days}/${habit.weekends.of}) |`,
      );
    }
  }

  if (figures.coChanges.length > 0) {
    lines.push('');
    lines.push(`Entities that change together (within 5 min, ${CO_CHANGE_MIN_TIMES} or more times):`);
    for (const pair of figures.coChanges.slice(0, LISTED_ROWS)) {
      lines.push(`- ${pair.first.name} (${pair.first.entityId}) + ${pair.second.name} (${pair.second.entityId}): ${pair.times} times`);
    }
  }

  if (figures.deviceUsage.length > 0) {
    lines.push('');
    lines.push('Device usage:');
    lines.push('| Device | Entity | On (h) | Switched on | Nights left on |');
    lines.push('|---|---|---:|---:|---:|');
    for (const usage of figures.deviceUsage.slice(0, LISTED_ROWS)) {
      lines.push(`| ${cell(usage.name)} | ${usage.entityId} | ${usage.onHours.toFixed(2)} | ${usage.cycles} | ${usage.nightsLeftOn} |`);
    }
  }

  if (figures.automations.length > 0) {
    lines.push('');
    lines.push('Automations (runs, changes made, undone by a person within an hour):');
    for (const automation of figures.automations.slice(0, LISTED_ROWS)) {
      const kept = automation.changes > 0 ? ` (${(((automation.changes - automation.overrides) / automation.changes) * 100).toFixed(1)} % kept)` : '';
      const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
      lines.push(`- ${automation.name} (${automation.entityId}): ${count(automation.runs, 'run')}, ${count(automation.changes, 'change')}, ${automation.overrides} undone${kept}`);
    }
  }

  if (findings.length > 0) {
    lines.push('');
    lines.push(`Findings (${findings.length}):`);
    findings.forEach((f, i) => lines.push(`${i + 1}. **${f.title}**: ${f.description}`));
  }
  return lines;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
