import { AgentError, readFindings, SPECIALIST_MAX_WINDOW_HOURS, truncate, type AgentEvent, type CalendarPeriod, type Finding } from '@aether/core';
import type { HaEnergyPrefs, HaEntityState, HaStatisticMetadata, HaStatisticsResult, HomeAssistantClient } from '@aether/home-assistant';
import { analysisWindow, callHomeAssistant, status, throwIfAborted, type AnalysisWindow } from '../analyst-steps';
import { NO_SANDBOX_MESSAGE, type SandboxRun, type ScriptSandbox } from '../sandbox/script-sandbox';
import type { ScriptPlan, ScriptWriter, StatisticSeries } from './script-writer';
import { selectTemperatureResponse, TEMPERATURE_RESPONSE, TEMPERATURE_RESPONSE_SCRIPT, temperatureResponseInputs } from './temperature-response.template';

/** Days compare with days: without a window the analysis reads the last 30 of them. */
export const DEFAULT_CUSTOM_WINDOW_HOURS = 720;
/** Largest findings.json read back from a script. */
const MAX_FINDINGS = 20;

export interface CustomAnalysisParams {
  hours?: number;
  period?: CalendarPeriod;
  query?: string;
  /** The model the client asked for (a script the model writes is written by it). */
  model?: string;
}

export interface CustomAnalystOptions {
  /** The writer of scripts for questions no template fits, by the model the client asked for; undefined offline (templates only). */
  scriptWriter?: (requestedModel?: string) => ScriptWriter | undefined;
  now?: () => Date;
}

/**
 * The custom analysis: a question no other analyst covers, answered by a Python script run in the
 * sandbox (see `ScriptSandbox`) over data exported from Home Assistant. The script is a built-in
 * template when one fits the question (the offline model's scripts; tested figures), else the
 * analyst model writes one for it over the long-term statistics it chooses (`ScriptWriter`) and, when
 * the answer is unusable or the run fails, corrects it once. Its JSON output becomes findings
 * (checked like any analyst's), its pictures become `image` events (kept and linked by the DS
 * orchestrator). Without a sandbox it refuses, never running a script unconfined; a script that
 * fails or breaks a limit is reported as a failed analysis.
 */
export class CustomAnalyst {
  private readonly now: () => Date;

  constructor(
    private readonly homeAssistant: HomeAssistantClient,
    /** The sandbox, found on first use (undefined: none here). */
    private readonly sandbox: () => Promise<ScriptSandbox | undefined>,
    private readonly options: CustomAnalystOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async *analyse(params: CustomAnalysisParams, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    throwIfAborted(signal, 'custom analysis');
    const query = params.query ?? '';
    const templated = TEMPERATURE_RESPONSE.matches(query);
    const writer = templated ? undefined : this.options.scriptWriter?.(params.model);
    if (!templated && !writer) {
      throw new AgentError(
        'not_implemented',
        `No built-in analysis script fits this question, and with no model configured none can be written for it (set LLM_BASE_URL and LLM_MODEL to have one written). Built in: ${TEMPERATURE_RESPONSE.title} ("does the heat pump run more on cold days?").`,
        'ds-analysts',
      );
    }
    const sandbox = await this.sandbox();
    if (!sandbox) throw new AgentError('not_implemented', NO_SANDBOX_MESSAGE, 'ds-analysts');

    const [config, prefs, states] = await callHomeAssistant(() => Promise.all([this.homeAssistant.getConfig(), this.homeAssistant.getEnergyPrefs(), this.homeAssistant.getStates()]));
    const window = analysisWindow({ hours: params.hours ?? DEFAULT_CUSTOM_WINDOW_HOURS, period: params.period, maxHours: SPECIALIST_MAX_WINDOW_HOURS.custom }, config, this.now());
    if (writer) yield* this.runWritten(writer, sandbox, query, window, states, signal);
    else yield* this.runTemplate(sandbox, query, window, prefs, states, signal);
  }

  /** The built-in script for "does X run more on cold days?". */
  private async *runTemplate(sandbox: ScriptSandbox, query: string, window: AnalysisWindow, prefs: HaEnergyPrefs | null, states: HaEntityState[], signal: AbortSignal): AsyncGenerator<AgentEvent> {
    const source = { template: TEMPERATURE_RESPONSE.id };
    const selection = selectTemperatureResponse(query, prefs, states);
    if (typeof selection === 'string') {
      yield* failed(`Custom analysis (${TEMPERATURE_RESPONSE.title}): not possible here: ${selection}.`, selection, query, source);
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
    const output = readRun(run);
    if (typeof output === 'string') {
      yield* failed(`${header}\nThe analysis failed: ${output}.`, output, query, source);
      return;
    }
    yield* report(header, output, `${selection.meter.name} against the outdoor temperature`, query, source);
  }

  /**
   * A script the model writes for the question: it picks the statistics (listed from the recorder,
   * named as HA names them), they are exported at its period over the window, and its script runs in
   * the sandbox. An unusable answer or a failed run goes back to the model once, with the reason.
   */
  private async *runWritten(writer: ScriptWriter, sandbox: ScriptSandbox, query: string, window: AnalysisWindow, states: HaEntityState[], signal: AbortSignal): AsyncGenerator<AgentEvent> {
    const metadata = await callHomeAssistant(() => this.homeAssistant.listStatisticIds());
    const series = statisticSeries(metadata, states);
    if (series.length === 0) {
      yield* failed('Custom analysis: not possible here: Home Assistant keeps no long-term statistics (sensors with a state_class).', 'no long-term statistics', query, { model: writer.modelId });
      return;
    }
    yield status(`custom analysis: ${writer.modelId} is writing a script for the question…`);
    const messages = writer.start(query, { text: window.text, start: window.start, end: window.end, timeZone: window.clock.timeZone }, series);
    let plan = await this.ask(() => writer.write(messages, series, signal), writer, signal);
    let problem = '';
    for (let attempt = 1; attempt <= SCRIPT_ATTEMPTS; attempt++) {
      if (attempt > 1) {
        yield status(`custom analysis: the script needs correcting (${truncate(problem, 160)}); asking ${writer.modelId} once more…`);
        plan = await this.ask(() => writer.repair(messages, problem, series, signal), writer, signal);
      }
      if (typeof plan === 'string') {
        problem = `its answer cannot be used: ${plan}`;
        continue;
      }
      const { statisticIds, period } = plan;
      yield status(`custom analysis reading ${window.text} of ${plan.period === 'hour' ? 'hourly' : 'daily'} statistics for ${plan.statisticIds.join(', ')}…`);
      const statistics = await callHomeAssistant(() =>
        this.homeAssistant.getStatisticsDuringPeriod({ start: window.start, end: window.end, statisticIds, period, types: ['mean', 'min', 'max', 'change'] }),
      );
      throwIfAborted(signal, 'custom analysis');
      yield status(`custom analysis running the script in the ${sandbox.runtime} sandbox…`);
      const run = await sandbox.run(plan.script, statisticsInputs(query, plan, series, statistics, window));
      throwIfAborted(signal, 'custom analysis');
      const output = readRun(run);
      const source = { model: writer.modelId, title: plan.title, statisticIds: plan.statisticIds, period: plan.period, script: plan.script };
      if (typeof output !== 'string') {
        const header = `Custom analysis: ${plan.title} — ${window.text} of ${plan.period === 'hour' ? 'hourly' : 'daily'} statistics for ${plan.statisticIds.join(', ')}; a Python script written for this question by ${writer.modelId} and run in the ${sandbox.runtime} sandbox (${run.ms} ms).`;
        yield* report(header, output, plan.title, query, source);
        return;
      }
      problem = run.ok || !run.stderr.trim() ? output : `${output}\nstderr:\n${run.stderr.slice(-2_000)}`;
      if (attempt === SCRIPT_ATTEMPTS) {
        yield* failed(`Custom analysis: ${plan.title} — a script written by ${writer.modelId}, run in the ${sandbox.runtime} sandbox.\nThe analysis failed: ${output}.`, output, query, source);
        return;
      }
    }
    yield* failed(`Custom analysis: ${writer.modelId} wrote no usable script for the question (${problem}).`, problem, query, { model: writer.modelId });
  }

  /** One model call: an unreachable or failing model is the analysis's `upstream_error`, in its words. */
  private async ask<T>(call: () => Promise<T>, writer: ScriptWriter, signal: AbortSignal): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throwIfAborted(signal, 'custom analysis');
      throw new AgentError('upstream_error', `The DS analysts' model (${writer.modelId}) could not write the analysis script: ${error instanceof Error ? error.message : String(error)}`, 'ds-analysts');
    }
  }
}

/** A script gets one correction. */
const SCRIPT_ATTEMPTS = 2;

/** The recorder's statistics as offered to the model: HA's names for them (the entity's friendly name, else the statistic's own). */
export function statisticSeries(metadata: readonly HaStatisticMetadata[], states: readonly HaEntityState[]): StatisticSeries[] {
  const names = new Map(states.map((s) => [s.entity_id, s.attributes['friendly_name']]));
  return metadata
    .filter((meta) => meta.has_sum || meta.has_mean)
    .map((meta) => {
      const friendly = names.get(meta.statistic_id);
      return {
        id: meta.statistic_id,
        name: typeof friendly === 'string' && friendly ? friendly : (meta.name ?? meta.statistic_id),
        unit: meta.display_unit_of_measurement ?? meta.statistics_unit_of_measurement,
        kind: meta.has_sum ? ('meter' as const) : ('measurement' as const),
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The exported files of a written script (see the contract in `ScriptWriter`): whole periods of the window only. */
export function statisticsInputs(question: string, plan: ScriptPlan, series: readonly StatisticSeries[], statistics: HaStatisticsResult, window: AnalysisWindow): Record<string, string> {
  const cell = (value: number | null | undefined) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : '');
  const rows = ['statistic_id,start,end,mean,min,max,change'];
  for (const id of plan.statisticIds) {
    for (const row of statistics[id] ?? []) {
      if (row.start < window.start.getTime() || row.end > window.end.getTime()) continue;
      rows.push(`${id},${new Date(row.start).toISOString()},${new Date(row.end).toISOString()},${cell(row.mean)},${cell(row.min)},${cell(row.max)},${cell(row.change)}`);
    }
  }
  const chosen = series.filter((s) => plan.statisticIds.includes(s.id)).map((s) => ({ statistic_id: s.id, name: s.name, unit: s.unit, kind: s.kind }));
  return {
    'statistics.csv': rows.join('\n') + '\n',
    'meta.json': JSON.stringify({ question, window: { start: window.start.toISOString(), end: window.end.toISOString(), time_zone: window.clock.timeZone }, period: plan.period, series: chosen }),
  };
}

/** A run's findings.json, schema-checked; a string says why there is nothing to read. */
function readRun(run: SandboxRun): { summary: string[]; findings: Finding[]; files: Map<string, Buffer> } | string {
  if (!run.ok) return run.reason;
  const output = readScriptOutput(run.files.get('findings.json'));
  return typeof output === 'string' ? output : { ...output, files: run.files };
}

/** Where a script came from, in the result: a template's id, or the model, its plan and the script itself. */
type ScriptSource = { template: string } | { model: string; title?: string; statisticIds?: string[]; period?: string; script?: string };

/** A run's report: the header, the script's summary lines and findings as tokens, its pictures as images, then the result. */
function* report(header: string, output: { summary: string[]; findings: Finding[]; files: Map<string, Buffer> }, chartTitle: string, query: string, source: ScriptSource): Generator<AgentEvent> {
  yield* lines([header, ...output.summary, ...(output.findings.length > 0 ? ['', `Findings (${output.findings.length}):`, ...output.findings.map((f, i) => `${i + 1}. **${f.title}**: ${f.description}`)] : [])]);
  for (const [name, content] of output.files) {
    const mediaType = name.endsWith('.png') ? 'image/png' : name.endsWith('.svg') ? 'image/svg+xml' : undefined;
    if (mediaType) yield { type: 'image', agent: 'ds-analysts', title: chartTitle, mediaType, data: content.toString('base64') };
  }
  yield { type: 'result', agent: 'ds-analysts', data: { specialist: 'custom', query, ...source, findings: output.findings } };
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
function* failed(text: string, reason: string, query: string, source: ScriptSource): Generator<AgentEvent> {
  yield* lines(text.split('\n'));
  yield { type: 'result', agent: 'ds-analysts', data: { specialist: 'custom', query, ...source, failed: reason, findings: [] } };
}

function* lines(text: string[]): Generator<AgentEvent> {
  for (const line of text) yield { type: 'token', agent: 'ds-analysts', content: `${line}\n` };
}
