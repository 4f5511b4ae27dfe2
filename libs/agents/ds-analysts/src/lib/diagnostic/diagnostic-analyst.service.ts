import { readFindings, SPECIALIST_MAX_WINDOW_HOURS, type AgentEvent, type CalendarPeriod } from '@aether/core';
import { HomeAssistantError, type HaConfigCheckResult, type HomeAssistantClient } from '@aether/home-assistant';
import { analysisWindow, callHomeAssistant, status, throwIfAborted } from '../analyst-steps';
import { deriveDiagnosticFindings, type DiagnosticFinding } from './diagnostic-findings';
import { computeDiagnostics, ERROR_LOG_NEEDS_ADMIN, ERROR_LOG_NOT_SERVED, nameWords, resolveNamedEntities, type DiagnosticFigures } from './diagnostics';

/** A nightly pattern needs nights to show and a stale sensor a day of silence: a week by default. */
export const DEFAULT_DIAGNOSTIC_WINDOW_HOURS = 168;

export interface DiagnosticAnalysisParams {
  hours?: number;
  period?: CalendarPeriod;
  /** The question; a named entity ("why is my garage sensor unavailable?") is resolved through friendly and device names. */
  query?: string;
}

/**
 * The diagnostic specialist: reads states, the registries, config entries, the error log, the
 * config check and the window's history from Home Assistant and finds, in code, unavailable
 * entities with the time of day their outages recur at and what they share (device, integration,
 * area), integrations that failed to load with their log lines, stale sensors, low batteries and
 * config errors. The computation is linear in the history it reads, so it runs in-process.
 */
export class DiagnosticAnalyst {
  constructor(
    private readonly homeAssistant: HomeAssistantClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async *analyse(params: DiagnosticAnalysisParams, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    throwIfAborted(signal, 'diagnostic analysis');
    const now = this.now();
    const config = await callHomeAssistant(() => this.homeAssistant.getConfig());
    const { start, end, text: windowText, clock, fellBack } = analysisWindow({ hours: params.hours ?? DEFAULT_DIAGNOSTIC_WINDOW_HOURS, period: params.period, maxHours: SPECIALIST_MAX_WINDOW_HOURS.diagnostic }, config, now);

    yield status('diagnostic analyst reading states, registries, config entries, the error log and the config check from Home Assistant…');
    const ha = this.homeAssistant;
    const [states, entityRegistry, deviceRegistry, areaRegistry, configEntries, errorLog, check] = await callHomeAssistant(() =>
      Promise.all([ha.getStates(), ha.getEntityRegistry(), ha.getDeviceRegistry(), ha.getAreaRegistry(), ha.getConfigEntries(), readErrorLog(ha), checkConfig(ha)]),
    );
    throwIfAborted(signal, 'diagnostic analysis');

    yield status(`diagnostic analyst reading ${windowText} of history of ${states.length} entities…`);
    const history = await callHomeAssistant(() =>
      ha.getHistory({ start, end, entityIds: states.map((s) => s.entity_id), minimalResponse: true, noAttributes: true }),
    );
    throwIfAborted(signal, 'diagnostic analysis');

    const figures = computeDiagnostics({
      states,
      entityRegistry,
      deviceRegistry,
      areaRegistry,
      configEntries,
      errorLog: errorLog.text,
      ...(errorLog.unavailable ? { errorLogUnavailable: errorLog.unavailable } : {}),
      configCheck: check.result,
      ...(check.failure ? { configCheckFailure: check.failure } : {}),
      history,
      start: start.getTime(),
      end: end.getTime(),
      timeZone: clock.timeZone,
    });
    const asked = params.query ? resolveNamedEntities(params.query, states, entityRegistry, deviceRegistry) : [];
    const findings = readFindings(deriveDiagnosticFindings(figures, asked), 'ds-analysts', 'the diagnostic analyst') as DiagnosticFinding[];
    // "Why is the flux capacitor unavailable?" names nothing HA has: say so rather than answer about something else.
    const unresolved = params.query && asked.length === 0 && /^\s*why\b/i.test(params.query) ? nameWords(params.query).join(' ') : undefined;
    for (const line of formatDiagnosticReport(figures, findings, asked, fellBack ? config.time_zone : undefined, unresolved || undefined)) {
      yield { type: 'token', agent: 'ds-analysts', content: `${line}\n` };
    }
    yield { type: 'result', agent: 'ds-analysts', data: { specialist: 'diagnostic', query: params.query ?? '', asked, ...figures, findings } };
  }
}

/** The error log, or why HA gave none: an install without one (Supervised / HA OS), or a token whose user is no administrator. */
async function readErrorLog(ha: HomeAssistantClient): Promise<{ text: string | null; unavailable?: string }> {
  try {
    const text = await ha.getErrorLog();
    return text === null ? { text, unavailable: ERROR_LOG_NOT_SERVED } : { text };
  } catch (error) {
    // Only the rights refusal of a working token: an invalid token fails every other call too, and says so.
    if (error instanceof HomeAssistantError && error.kind === 'auth' && error.status === 401) return { text: null, unavailable: ERROR_LOG_NEEDS_ADMIN };
    throw error;
  }
}

/** HA's config check, or why it could not run (it needs the `config` integration; a refusal is not a broken config). */
async function checkConfig(ha: HomeAssistantClient): Promise<{ result: HaConfigCheckResult | null; failure?: string }> {
  try {
    return { result: await ha.checkConfig() };
  } catch (error) {
    if (error instanceof HomeAssistantError) return { result: null, failure: error.message };
    throw error;
  }
}

/** The diagnostic report as markdown lines: the answer about the entities asked for first, then every finding. */
export function formatDiagnosticReport(
  figures: DiagnosticFigures,
  findings: readonly DiagnosticFinding[],
  asked: readonly string[],
  unknownTimeZone?: string,
  unresolvedName?: string,
): string[] {
  const lines: string[] = [];
  lines.push(`Diagnostics window: ${figures.window.start} → ${figures.window.end} (${figures.window.hours} h)`);
  lines.push(unknownTimeZone ? `Time zone: ${figures.timeZone} (Home Assistant's time zone "${unknownTimeZone}" is not recognised)` : `Time zone: ${figures.timeZone}`);
  lines.push(
    `Entities: ${figures.entities}, unavailable now ${figures.unavailableNow}, unknown now ${figures.unknownNow}; ` +
      `integrations not loaded: ${figures.failingIntegrations.length}; low batteries: ${figures.lowBatteries.length}; stale sensors: ${figures.staleSensors.length}`,
  );
  lines.push(
    figures.errorLog.available
      ? `Error log: ${figures.errorLog.lines} lines since the last restart (${figures.errorLog.errors} errors, ${figures.errorLog.warnings} warnings)`
      : `Error log: not available (${figures.errorLog.unavailable ?? ERROR_LOG_NOT_SERVED})`,
  );
  lines.push(
    figures.configCheck.result === 'not_checked'
      ? `Config check: could not run (${figures.configCheck.failure ?? 'no reason given'})`
      : `Config check: ${figures.configCheck.result}`,
  );
  if (unresolvedName) {
    lines.push('');
    lines.push(`**Answer**: no entity or device in Home Assistant is called "${unresolvedName}" (matched against friendly names, entity ids and device names); the findings below cover the whole home.`);
  }
  if (asked.length > 0) {
    lines.push('');
    const about = findings.filter((f) => f.entities.some((e) => asked.includes(e)));
    if (about.length > 0) {
      lines.push(`**Answer** (${asked.join(', ')}): ${about[0].title}. ${about[0].description}`);
    } else {
      const named = asked.map((id) => `${id} (${figures.outages.find((o) => o.entityId === id)?.state ?? 'available'})`).join(', ');
      lines.push(`**Answer**: ${named} had no outage in the window and shows no problem now.`);
    }
  }
  lines.push('');
  lines.push('Findings:');
  if (findings.length === 0) lines.push('- No problems found.');
  for (const f of findings) lines.push(`- [${f.type}] ${f.title}: ${f.description}`);
  return lines;
}
