import type { AnalysisDepth, AnalysisStrategy, ImageEvent } from '@aether/core';
import type { Specialist } from './specialist-selection';
import type { TeamFinding, TeamSynthesis } from './team-synthesis';

/** What one specialist contributed to the team report. */
export type SpecialistOutcome =
  | { specialist: Specialist; status: 'completed'; report: string; data: Record<string, unknown>; findings: TeamFinding[]; images: ImageEvent[] }
  | { specialist: Specialist; status: 'not_available'; message: string };

export const SPECIALIST_TITLES: Readonly<Record<Specialist, string>> = {
  energy: 'Energy Analyst',
  behavioral: 'Behavioral Analyst',
  diagnostic: 'Diagnostic Analyst',
  custom: 'Custom Analysis',
};

/**
 * The team report (the original's format): a header, each analyst's section verbatim, then the
 * consensus, conflicts and recommendations. Returned as lines so it can stream line by line.
 */
export function formatTeamReport(input: {
  window: string;
  outcomes: readonly SpecialistOutcome[];
  synthesis: TeamSynthesis;
  strategy?: AnalysisStrategy;
  depth?: AnalysisDepth;
  /** The discussion round's lines, when one was held. */
  discussion?: readonly string[];
}): string[] {
  const { window, outcomes, synthesis, strategy = 'parallel', depth = 'standard', discussion } = input;
  const lines = [`**Data Science Team Report** (${outcomes.length} specialist(s), ${window})`];
  // The default way (parallel, standard, no discussion) goes unsaid.
  if (strategy !== 'parallel' || depth !== 'standard' || discussion) {
    const way = strategy === 'teamwork' ? `teamwork (${outcomes.map((o) => o.specialist).join(' → ')}, each seeing the earlier findings)` : 'parallel';
    lines.push(`Strategy: ${way}; depth: ${depth}${discussion ? '; one discussion round' : ''}.`);
  }
  for (const outcome of outcomes) {
    lines.push('');
    if (outcome.status === 'completed') {
      lines.push(`**${SPECIALIST_TITLES[outcome.specialist]}:**`);
      lines.push(...outcome.report.replace(/\s+$/, '').split('\n'));
    } else {
      lines.push(`**${SPECIALIST_TITLES[outcome.specialist]}:** ${outcome.message}`);
    }
  }
  if (discussion) {
    lines.push('');
    const cited = outcomes.some((o) => o.status === 'completed' && o.findings.some((f) => (f.crossReferences?.length ?? 0) > 0));
    const none = cited ? 'nothing beyond the cross-references above (now recorded both ways).' : 'no two specialists found anything about the same entities or devices.';
    lines.push(`**Discussion:** ${discussion.length === 0 ? none : ''}`.trimEnd());
    for (const line of discussion) lines.push(`- ${line}`);
  }
  lines.push('');
  lines.push(`**Team Consensus:** ${synthesis.consensus}`);
  if (synthesis.conflicts.length > 0) {
    lines.push('');
    lines.push('**Conflicts:**');
    for (const conflict of synthesis.conflicts) lines.push(`- ${conflict}`);
  }
  if (synthesis.recommendations.length > 0) {
    lines.push('');
    lines.push('**Recommendations:**');
    synthesis.recommendations.forEach((r, i) => lines.push(`${i + 1}. ${r}`));
  }
  return lines;
}
