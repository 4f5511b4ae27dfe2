import { isNegativeFinding, readFindings as readProtocolFindings, type Finding } from '@aether/core';

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

/**
 * Programmatic synthesis across specialists (the original's ProgrammaticSynthesizer): conflicts
 * where specialists disagree about a device or entity, recommendations from confident
 * recommendation findings — ranked by score: confidence, + 0.1 per cross-reference, + 0.15 per
 * further specialist on its devices or entities — and what several specialists flag, and a
 * one-line consensus.
 */
export function synthesizeTeamFindings(findings: readonly TeamFinding[], reportingSpecialists: number): TeamSynthesis {
  // What findings are about: a device (one key for all its entities, see `Finding.devices`), else each entity.
  const bySubject = new Map<string, TeamFinding[]>();
  for (const finding of findings) {
    for (const subject of subjectsOf(finding)) bySubject.set(subject, [...(bySubject.get(subject) ?? []), finding]);
  }

  const conflicts: string[] = [];
  const score = (f: TeamFinding) =>
    f.confidence +
    0.1 * (f.crossReferences?.length ?? 0) +
    0.15 * Math.max(0, ...subjectsOf(f).map((subject) => new Set(bySubject.get(subject)?.map((other) => other.specialist)).size - 1));
  const recommendations = findings
    .filter((f) => f.type === 'recommendation' && f.confidence >= RECOMMENDATION_MIN_CONFIDENCE)
    .map((f) => ({ f, score: score(f) }))
    .sort((a, b) => b.score - a.score)
    .map(({ f }) => `${f.title}: ${f.description}`);

  for (const subjectFindings of bySubject.values()) {
    const specialists = [...new Set(subjectFindings.map((f) => f.specialist))];
    if (specialists.length < 2) continue;
    // Named by its entities (a device's are those the findings are about).
    const named = [...new Set(subjectFindings.flatMap((f) => f.entities))].sort().join(', ');
    const worried = [...new Set(subjectFindings.filter((f) => isNegativeFinding(f)).map((f) => f.specialist))];
    const positive = [...new Set(subjectFindings.filter((f) => !isNegativeFinding(f)).map((f) => f.specialist))];
    if (worried.length > 0 && positive.some((s) => !worried.includes(s))) {
      conflicts.push(`${named}: ${worried.join(', ')} flagged concerns while ${positive.filter((s) => !worried.includes(s)).join(', ')} found positive patterns`);
    }
    recommendations.push(`Review ${named} — flagged by ${specialists.length} specialists`);
  }

  return { consensus: consensusLine(findings, reportingSpecialists), conflicts, recommendations };
}

/** A finding's devices, else its entities, as grouping keys. */
function subjectsOf(finding: TeamFinding): string[] {
  return finding.devices?.length ? finding.devices.map((device) => `device:${device}`) : finding.entities.map((entity) => `entity:${entity}`);
}

function consensusLine(findings: readonly TeamFinding[], reportingSpecialists: number): string {
  if (reportingSpecialists === 0) return 'No specialist could analyse this question in this version of Aether.';
  if (findings.length === 0) return `No significant findings from ${reportingSpecialists} specialist(s).`;
  const concerns = findings.filter((f) => isNegativeFinding(f)).length;
  const strongest = [...findings].sort((a, b) => b.confidence - a.confidence)[0];
  return (
    `Analysis synthesized ${findings.length} finding(s) from ${reportingSpecialists} specialist(s). ` +
    (concerns > 0 ? `${concerns} point(s) need attention. ` : 'No concerns were raised. ') +
    `Most confident finding: ${strongest.title}.`
  );
}
