import type { Finding } from '@aether/core';
import { ERROR_LOG_NOT_SERVED, type DiagnosticFigures, type EntityOutages } from './diagnostics';

export type DiagnosticFinding = Finding & { specialist: 'diagnostic' };

/**
 * Rule-based findings over the computed figures (every number quoted comes from `figures`). The
 * entities a question names (`asked`) come first, with the answer to "why is X unavailable?".
 */
export function deriveDiagnosticFindings(figures: DiagnosticFigures, asked: readonly string[]): DiagnosticFinding[] {
  const findings: DiagnosticFinding[] = [];
  const add = (finding: Omit<DiagnosticFinding, 'specialist'>) => findings.push({ specialist: 'diagnostic', ...finding });
  const failingEntry = new Map(figures.failingIntegrations.flatMap((i) => i.entities.map((e) => [e, i] as const)));

  // Entities of one device that drop together are one finding about the device.
  const reported = new Set<string>();
  for (const cause of figures.commonCauses.filter((c) => c.kind === 'device')) {
    const members = figures.outages.filter((o) => cause.entities.includes(o.entityId));
    const lead = members.find((m) => m.pattern) ?? members[0];
    if (failingEntry.has(lead.entityId)) continue;
    for (const m of members) reported.add(m.entityId);
    add({
      type: 'concern',
      title: `${cause.name} drops out${lead.pattern ? ` every ${lead.pattern.when} ${lead.pattern.earliestStart}–${lead.pattern.latestEnd}` : ''}`,
      description:
        `${cause.entities.length} of its ${cause.of} entities (${members.map((m) => m.name).join(', ')}) go unavailable together ` +
        `(${percent(cause.together)} of their outages start within 5 minutes of each other): the device or its link to ${lead.integration ?? 'Home Assistant'} drops, not one entity. ` +
        outageSentence(lead) +
        logSentence(lead) +
        adviceFor(lead),
      confidence: round2(Math.min(0.95, 0.5 + cause.together * 0.45)),
      entities: cause.entities,
      evidence: evidenceOf(lead, { device: cause.name, entitiesAffected: cause.entities.length, deviceEntities: cause.of, startTogether: cause.together }),
    });
  }

  for (const integration of figures.failingIntegrations) {
    const log = integration.logLines;
    add({
      type: 'concern',
      title: `The ${integration.domain} integration (${integration.title}) is not loaded: ${integration.state}`,
      description:
        `Home Assistant ${integration.state === 'setup_retry' ? 'keeps retrying its setup' : 'failed to set it up'}` +
        (integration.reason ? `: "${integration.reason}".` : '.') +
        (integration.entities.length ? ` Its ${integration.entities.length} entities are unavailable until it loads.` : '') +
        (log === null
          ? ` The error log is not available (${figures.errorLog.unavailable ?? ERROR_LOG_NOT_SERVED}), so no log lines are quoted.`
          : log.count > 0
            ? ` The error log has ${log.count} lines from ${log.logger} (${log.first} → ${log.last}), e.g. "${log.sample}".`
            : ' The error log has no lines from it since the last restart.'),
      confidence: 0.95,
      entities: integration.entities,
      evidence: {
        domain: integration.domain,
        entryId: integration.entryId,
        state: integration.state,
        reason: integration.reason,
        logLines: log === null ? null : log.count,
        ...(log?.first ? { firstLogLine: log.first, lastLogLine: log.last ?? null, logSample: log.sample ?? null } : {}),
      },
    });
    for (const e of integration.entities) reported.add(e);
  }

  for (const o of figures.outages) {
    if (reported.has(o.entityId)) continue;
    if (!o.pattern && !o.down && o.outages.length < 2) continue;
    add({
      type: o.down || o.pattern ? 'concern' : 'insight',
      title: o.pattern
        ? `${o.name} is unavailable every ${o.pattern.when} ${o.pattern.earliestStart}–${o.pattern.latestEnd}`
        : o.down
          ? `${o.name} is ${o.state}`
          : `${o.name} was unavailable ${o.outages.length} times`,
      description: outageSentence(o) + logSentence(o) + adviceFor(o),
      confidence: o.pattern ? round2(Math.min(0.95, o.pattern.days / o.pattern.windowDays)) : o.down ? 0.9 : 0.6,
      entities: [o.entityId],
      evidence: evidenceOf(o, {}),
    });
  }

  for (const cause of figures.commonCauses.filter((c) => c.kind !== 'device')) {
    add({
      type: 'insight',
      title: `${cause.entities.length} unavailable entities share the ${cause.kind} ${cause.name}`,
      description: `${cause.entities.join(', ')} (of ${cause.of} in it); ${percent(cause.together)} of their outages start within 5 minutes of each other.`,
      confidence: round2(Math.max(0.3, cause.together)),
      entities: cause.entities,
      evidence: { kind: cause.kind, name: cause.name, entitiesAffected: cause.entities.length, of: cause.of, startTogether: cause.together },
    });
  }

  for (const s of figures.staleSensors) {
    add({
      type: 'concern',
      title: `${s.name} has not changed for ${s.hoursSinceChange} h`,
      description: `It changed ${s.changesPerDayBefore} times a day before, and has shown ${s.state} since ${s.lastChanged}: the sensor or its integration may have stopped reporting.`,
      confidence: 0.7,
      entities: [s.entityId],
      evidence: { lastChanged: s.lastChanged, hoursSinceChange: s.hoursSinceChange, changesPerDayBefore: s.changesPerDayBefore, state: s.state },
    });
  }

  for (const b of figures.lowBatteries) {
    add({
      type: 'recommendation',
      title: b.percent === null ? `${b.name} reports a low battery` : `${b.name} is at ${b.percent} %`,
      description:
        `Replace the battery${b.deviceName ? ` of ${b.deviceName}` : ''} soon` +
        (b.drainPerDay !== undefined ? `: it drains ${b.drainPerDay} % a day, about ${b.daysLeft} days left.` : '.'),
      confidence: 0.9,
      entities: [b.entityId],
      evidence: { percent: b.percent, ...(b.drainPerDay !== undefined ? { drainPerDay: b.drainPerDay, daysLeft: b.daysLeft ?? null } : {}) },
    });
  }

  if (figures.configCheck.result === 'invalid') {
    add({
      type: 'concern',
      title: 'The configuration check fails',
      description: `Home Assistant's config check reports: ${figures.configCheck.errors ?? 'errors (no text given)'}. A restart would not load the broken part.`,
      confidence: 1,
      entities: [],
      evidence: { result: 'invalid', errors: figures.configCheck.errors, warnings: figures.configCheck.warnings },
    });
  }
  if (!figures.errorLog.available) {
    add({
      type: 'data_quality_flag',
      title: 'The error log is not available',
      description: `Home Assistant gave no error log (${figures.errorLog.unavailable ?? ERROR_LOG_NOT_SERVED}): log lines could not be matched.`,
      confidence: 1,
      entities: [],
      evidence: { errorLog: false },
    });
  }

  const first = (f: DiagnosticFinding) => (f.entities.some((e) => asked.includes(e)) ? 0 : 1);
  return findings.map((f, i) => [f, i] as const).sort((a, b) => first(a[0]) - first(b[0]) || a[1] - b[1]).map(([f]) => f);
}

/** Plain-language "when" of an entity's outages, from its figures. */
export function outageSentence(o: EntityOutages): string {
  const timed = o.outages.filter((x) => !x.startedBeforeWindow);
  if (o.pattern) {
    const p = o.pattern;
    return (
      `It was unavailable on ${p.days} of the last ${p.windowDays} ${p.when === 'night' ? 'nights' : 'days'}, between ${p.earliestStart} and ${p.latestEnd} ` +
      `(usually ${p.medianStart}–${p.medianEnd}, ${p.averageMinutes} min on average)${o.down ? ', and is now' : ''}. `
    );
  }
  if (o.down) {
    const since = o.outages.at(-1)!;
    return `It has been ${o.state} since ${since.startedBeforeWindow ? `before ${since.from}` : since.from} (${since.minutes} min in the window). `;
  }
  return `It was unavailable ${timed.length} times in the window, ${o.totalMinutes} min in all. `;
}

function logSentence(o: EntityOutages): string {
  if (o.logLines.count === 0) return '';
  return `The error log (since Home Assistant's last restart) has "${o.logLines.sample}" (${o.logLines.logger}) at the start of ${o.logLines.outagesMatched} of the ${o.logLines.outagesLogged} outages it covers. `;
}

function adviceFor(o: EntityOutages): string {
  if (o.integration === 'zha' || o.integration === 'zigbee2mqtt') {
    return 'A Zigbee device that drops at the same time each night usually has a weak link: move a mains-powered router (a Zigbee plug) closer, or check for interference then (Wi-Fi on the same channel, a heater or motor switching on).';
  }
  if (o.pattern) return 'An outage at the same time every day points at something scheduled then: power, Wi-Fi or the device’s own schedule.';
  return '';
}

function evidenceOf(o: EntityOutages, extra: Record<string, string | number>): Finding['evidence'] {
  return {
    ...extra,
    state: o.state,
    outages: o.outages.length,
    unavailableMinutes: o.totalMinutes,
    ...(o.pattern
      ? {
          days: o.pattern.days,
          windowDays: o.pattern.windowDays,
          earliestStart: o.pattern.earliestStart,
          latestEnd: o.pattern.latestEnd,
          usualStart: o.pattern.medianStart,
          usualEnd: o.pattern.medianEnd,
          averageMinutes: o.pattern.averageMinutes,
        }
      : {}),
    ...(o.integration ? { integration: o.integration } : {}),
    ...(o.area ? { area: o.area } : {}),
    logLines: o.logLines.count,
  };
}

function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
