import { AgentError, readFindings, SPECIALIST_MAX_WINDOW_HOURS, type AgentEvent, type CalendarPeriod, type Finding } from '@aether/core';
import type { HomeAssistantClient } from '@aether/home-assistant';
import { analysisWindow, callHomeAssistant, status, throwIfAborted } from '../analyst-steps';
import { NO_SANDBOX_MESSAGE, type ScriptSandbox } from '../sandbox/script-sandbox';
import { selectTemperatureResponse, TEMPERATURE_RESPONSE, TEMPERATURE_RESPONSE_SCRIPT, temperatureResponseInputs } from './temperature-response.template';

/** Days compare with days: without a window the analysis reads the last 30 of them. */
export const DEFAULT_CUSTOM_WINDOW_HOURS = 720;
/** Largest findings.json read back from a script. */
const MAX_FINDINGS = 20;

export interface CustomAnalysisParams {
  hours?: number;
  period?: CalendarPeriod;
  query?: string;
}

/**
 * The custom analysis: a question no other analyst covers, answered by a Python script run in the
 * sandbox (see `ScriptSandbox`) over data exported from Home Assistant. Its JSON output becomes
 * findings (checked like any analyst's), its pictures become `image` events (kept and linked by the
 * DS orchestrator). The scripts come from built-in templates; a script written by a model for the
 * question is not built yet, and the answer says so. Without a sandbox it refuses, never running a
 * script unconfined; a script that fails or breaks a limit is reported as a failed analysis.
 */
export class CustomAnalyst {
  constructor(
    private readonly homeAssistant: HomeAssistantClient,
    /** The sandbox, found on first use (undefined: none here). */
    private readonly sandbox: () => Promise<ScriptSandbox | undefined>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async *analyse(params: CustomAnalysisParams, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    throwIfAborted(signal, 'custom analysis');
    const query = params.query ?? '';
    if (!TEMPERATURE_RESPONSE.matches(query)) {
      throw new AgentError(
        'not_implemented',
        `No built-in analysis script fits this question yet, and scripts written for a question by a model are not built yet. Built in: ${TEMPERATURE_RESPONSE.title} ("does the heat pump run more on cold days?").`,
        'ds-analysts',
      );
    }
    const sandbox = await this.sandbox();
    if (!sandbox) throw new AgentError('not_implemented', NO_SANDBOX_MESSAGE, 'ds-analysts');

    const [config, prefs, states] = await callHomeAssistant(() => Promise.all([this.homeAssistant.getConfig(), this.homeAssistant.getEnergyPrefs(), this.homeAssistant.getStates()]));
    const window = analysisWindow({ hours: params.hours ?? DEFAULT_CUSTOM_WINDOW_HOURS, period: params.period, maxHours: SPECIALIST_MAX_WINDOW_HOURS.custom }, config, this.now());
    const selection = selectTemperatureResponse(query, prefs, states);
    if (typeof selection === 'string') {
      yield* failed(`Custom analysis (${TEMPERATURE_RESPONSE.title}): not possible here: ${selection}.`, selection, query);
      return;
    }

    yield status(`custom analysis reading ${window.text} of daily statistics for ${selection.meter.entityId} and ${selection.temperature.entityId}…`);
    const statistics = await callHomeAssistant(() =>
      this.homeAssistant.getStatisticsDuringPeriod({
        start: window.start,
        end: window.end,
        statisticIds: [selection.meter.entityId, selection.temperature.entityId],
        period: 'day',
        types: ['change', 'mean'],
        units: { energy: 'kWh', temperature: '°C' },
      }),
    );
    throwIfAborted(signal, 'custom analysis');

    yield status(`custom analysis running its script in the ${sandbox.runtime} sandbox…`);
    const run = await sandbox.run(TEMPERATURE_RESPONSE_SCRIPT, temperatureResponseInputs(selection, statistics, window));
    throwIfAborted(signal, 'custom analysis');
    // The figures are the script's: a run that failed or broke a limit is reported, never guessed at.
    const header = `Custom analysis: ${TEMPERATURE_RESPONSE.title} — ${selection.meter.name} (${selection.meter.entityId}) against ${selection.temperature.name} (${selection.temperature.entityId}), ${window.text}; a Python script run in the ${sandbox.runtime} sandbox (${run.ms} ms).`;
    const files = run.ok ? run.files : new Map<string, Buffer>();
    const output = run.ok ? readScriptOutput(files.get('findings.json')) : run.reason;
    if (typeof output === 'string') {
      yield* failed(`${header}\nThe analysis failed: ${output}.`, output, query);
      return;
    }
    yield* lines([header, ...output.summary, ...(output.findings.length > 0 ? ['', `Findings (${output.findings.length}):`, ...output.findings.map((f, i) => `${i + 1}. **${f.title}**: ${f.description}`)] : [])]);
    for (const [name, content] of files) {
      const mediaType = name.endsWith('.png') ? 'image/png' : name.endsWith('.svg') ? 'image/svg+xml' : undefined;
      if (mediaType) yield { type: 'image', agent: 'ds-analysts', title: `${selection.meter.name} against the outdoor temperature`, mediaType, data: content.toString('base64') };
    }
    yield { type: 'result', agent: 'ds-analysts', data: { specialist: 'custom', query, template: TEMPERATURE_RESPONSE.id, findings: output.findings } };
  }
}

/** The script's findings.json, schema-checked: summary lines and findings of the custom specialist; a string says what is wrong. */
function readScriptOutput(file: Buffer | undefined): { summary: string[]; findings: Finding[] } | string {
  if (!file) return 'the script wrote no findings.json';
  let parsed: unknown;
  try {
    parsed = JSON.parse(file.toString('utf8'));
  } catch {
    return 'the script wrote a findings.json that is not JSON';
  }
  const value = parsed as { summary?: unknown; findings?: unknown };
  const summary = Array.isArray(value.summary) ? value.summary.filter((line): line is string => typeof line === 'string').slice(0, MAX_FINDINGS) : [];
  if (!Array.isArray(value.findings) || value.findings.length > MAX_FINDINGS) return `the script's findings.json holds no list of at most ${MAX_FINDINGS} findings`;
  let findings: Finding[];
  try {
    findings = readFindings(value.findings, 'ds-analysts', 'the analysis script');
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (findings.some((finding) => finding.specialist !== 'custom')) return "the script's findings must be the custom specialist's";
  return { summary, findings };
}

/** A custom analysis that could not be done: the report says why, and the result has no findings. */
function* failed(report: string, reason: string, query: string): Generator<AgentEvent> {
  yield* lines(report.split('\n'));
  yield { type: 'result', agent: 'ds-analysts', data: { specialist: 'custom', query, template: TEMPERATURE_RESPONSE.id, failed: reason, findings: [] } };
}

function* lines(text: string[]): Generator<AgentEvent> {
  for (const line of text) yield { type: 'token', agent: 'ds-analysts', content: `${line}\n` };
}
