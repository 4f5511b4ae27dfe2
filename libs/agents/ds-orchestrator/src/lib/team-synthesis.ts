import { readFindings as readProtocolFindings, type Finding } from '@aether/core';

export type TeamFinding = Finding;

export interface TeamSynthesis {
  consensus: string;
  conflicts: string[];
  recommendations: string[];
}

/** Recommendations below this confidence are not promoted into the team's list. */
export const RECOMMENDATION_MIN_CONFIDENCE = 0.7;

/**
 * The findings of an analyst's result data (none when it sent no `findings`), checked at this hop:
 * a malformed finding fails the team run as `upstream_error` (see `readFindings` in @aether/core).
 */
export function readFindings(data: Record<string, unknown>, specialist: string): TeamFinding[] {
  if (data['findings'] === undefined) return [];
  return readProtocolFindings(data['findings'], 'ds-orchestrator', `the ${specialist} analyst`);
}

const NEGATIVE = new Set<TeamFinding['type']>(['concern', 'data_quality_flag']);

/**
 * Programmatic synthesis across specialists (the original's ProgrammaticSynthesizer, simplified):
 * conflicts where specialists disagree about an entity, recommendations from confident
 * recommendation findings and entities several specialists flag, and a one-line consensus.
 */
export function synthesizeTeamFindings(findings: readonly TeamFinding[], reportingSpecialists: number): TeamSynthesis {
  const byEntity = new Map<string, TeamFinding[]>();
  for (const finding of findings) {
    for (const entity of finding.entities) byEntity.set(entity, [...(byEntity.get(entity) ?? []), finding]);
  }

  const conflicts: string[] = [];
  const recommendations = findings
    .filter((f) => f.type === 'recommendation' && f.confidence >= RECOMMENDATION_MIN_CONFIDENCE)
    .sort((a, b) => b.confidence - a.confidence)
    .map((f) => `${f.title}: ${f.description}`);

  for (const [entity, entityFindings] of byEntity) {
    const specialists = [...new Set(entityFindings.map((f) => f.specialist))];
    if (specialists.length < 2) continue;
    const worried = [...new Set(entityFindings.filter((f) => NEGATIVE.has(f.type)).map((f) => f.specialist))];
    const positive = [...new Set(entityFindings.filter((f) => !NEGATIVE.has(f.type)).map((f) => f.specialist))];
    if (worried.length > 0 && positive.some((s) => !worried.includes(s))) {
      conflicts.push(`${entity}: ${worried.join(', ')} flagged concerns while ${positive.filter((s) => !worried.includes(s)).join(', ')} found positive patterns`);
    }
    recommendations.push(`Review ${entity} — flagged by ${specialists.length} specialists`);
  }

  return { consensus: consensusLine(findings, reportingSpecialists), conflicts, recommendations };
}

function consensusLine(findings: readonly TeamFinding[], reportingSpecialists: number): string {
  if (reportingSpecialists === 0) return 'No specialist could analyse this question in this version of Aether.';
  if (findings.length === 0) return `No significant findings from ${reportingSpecialists} specialist(s).`;
  const concerns = findings.filter((f) => NEGATIVE.has(f.type)).length;
  const strongest = [...findings].sort((a, b) => b.confidence - a.confidence)[0];
  return (
    `Analysis synthesized ${findings.length} finding(s) from ${reportingSpecialists} specialist(s). ` +
    (concerns > 0 ? `${concerns} point(s) need attention. ` : 'No concerns were raised. ') +
    `Most confident finding: ${strongest.title}.`
  );
}
