import type { UtilityMessage, UtilityModel } from '@aether/llm';

/** A statistics series the home's recorder keeps (`recorder/list_statistic_ids`), as offered to the model. */
export interface StatisticSeries {
  id: string;
  name: string;
  unit: string | null;
  /** `meter`: a sum (`change` per period); `measurement`: a mean/min/max. */
  kind: 'meter' | 'measurement';
}

/** What the model chose to read and the script it wrote. */
export interface ScriptPlan {
  /** What the analysis computes, in a few words (the report's and the chart's title). */
  title: string;
  statisticIds: string[];
  period: 'hour' | 'day';
  script: string;
}

/** Most series the model may read in one script. */
export const MAX_SCRIPT_SERIES = 8;
/** Longest script accepted (characters). */
const MAX_SCRIPT_CHARS = 20_000;
/** Most series listed in the prompt: the ones the question names first. */
const MAX_OFFERED_SERIES = 80;
/** Most characters of a failed run's stderr shown to the model. */
const MAX_ERROR_CHARS = 2_000;

/** The files a script reads, and what it must write: the part of the prompt the sandbox runner depends on. */
const SCRIPT_CONTRACT = `Files (read-only):
- /input/statistics.csv — columns statistic_id, start, end (ISO 8601, UTC), mean, min, max (measurements, time-weighted), change (meters: the amount used or produced in the period, in the series' unit); one row per series and period; empty cells where a column does not apply.
- /input/meta.json — {"question", "window": {"start", "end", "time_zone"}, "period", "series": [{"statistic_id", "name", "unit", "kind"}]}.
Write:
- /output/findings.json — {"summary": ["one line per figure the analysis computed"], "findings": [{"specialist": "custom", "type": "insight" | "concern" | "recommendation" | "data_quality_flag", "title": "...", "description": "...", "confidence": 0.0-1.0, "entities": ["statistic ids"], "evidence": {"name": number, ...}}]} — at most 20 findings; findings may be empty when there is nothing to report.
- optionally a chart or two as /output/<name>.png (Matplotlib, backend Agg).
Python 3 with pandas, numpy and Matplotlib. No network, no other files, 30 s of CPU. Every figure comes from the data: never invent one. Convert times to the home's time zone (meta.json) before grouping by day, hour or weekday.`;

const SYSTEM_PROMPT = `You are the data scientist of Aether, an assistant for a Home Assistant home. Write one Python script that answers the person's question from the home's long-term statistics. It runs in a sandbox over files exported for it.

${SCRIPT_CONTRACT}

Answer with exactly two fenced blocks and nothing else:
\`\`\`json
{"title": "what the analysis computes, in a few words", "statistic_ids": ["up to ${MAX_SCRIPT_SERIES} ids from the list"], "period": "hour" or "day"}
\`\`\`
\`\`\`python
the script
\`\`\``;

/**
 * Has the analyst model write the custom analysis for a question: which statistics to export, at
 * which period, and the pandas script over them. One completion (the script needs no tools and no
 * loop), read leniently — fenced blocks, or one JSON object with the script inside, as models
 * answer — and checked: series from the offered list only, a period HA keeps, a script of sane
 * size. `repair` asks once more with what went wrong (an unreadable answer, a failed run).
 */
export class ScriptWriter {
  constructor(
    private readonly model: UtilityModel,
    /** The model id (the DS analysts' model, or the one the client asked for). */
    readonly modelId: string,
  ) {}

  /** The conversation that asks for the script; `write` and `repair` extend it. */
  start(question: string, window: { text: string; start: Date; end: Date; timeZone: string }, series: readonly StatisticSeries[]): UtilityMessage[] {
    const offered = offeredSeries(question, series);
    const lines = offered.map((s) => `- ${s.id} — ${s.name}${s.unit ? `, ${s.unit}` : ''}, ${s.kind}`);
    return [
      { role: 'system', content: SYSTEM_PROMPT },
      {
        role: 'user',
        content: `Question: ${question}\nWindow: ${window.text} (${window.start.toISOString()} to ${window.end.toISOString()}), time zone ${window.timeZone}.\nStatistics the home keeps (${offered.length}${offered.length < series.length ? ` of ${series.length}, those the question names first` : ''}):\n${lines.join('\n')}`,
      },
    ];
  }

  /** Asks for the script; a string says why the answer cannot be used (the messages then hold the answer, for `repair`). */
  async write(messages: UtilityMessage[], series: readonly StatisticSeries[], signal: AbortSignal): Promise<ScriptPlan | string> {
    const answer = await this.model.complete({ model: this.modelId, messages, temperature: 0, signal });
    messages.push({ role: 'assistant', content: answer.text });
    if (answer.finishReason === 'length') return 'the answer was cut off at the output token limit';
    return readScriptPlan(answer.text, new Set(series.map((s) => s.id)));
  }

  /** Asks again after `problem`, once. */
  async repair(messages: UtilityMessage[], problem: string, series: readonly StatisticSeries[], signal: AbortSignal): Promise<ScriptPlan | string> {
    messages.push({ role: 'user', content: `That did not work: ${problem.slice(0, MAX_ERROR_CHARS)}\nAnswer again in the same format (the json block, then the python block), correcting the script.` });
    return this.write(messages, series, signal);
  }
}

/** The model's answer as a plan; a string says what is wrong with it. */
export function readScriptPlan(text: string, known: ReadonlySet<string>): ScriptPlan | string {
  const blocks = [...text.matchAll(/```([a-zA-Z0-9_-]*)[^\n]*\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1].toLowerCase(), body: m[2] }));
  const python = blocks.find((b) => b.lang === 'python' || b.lang === 'py')?.body;
  const jsonText =
    blocks.find((b) => b.lang === 'json')?.body ?? blocks.find((b) => b.lang === '' && b.body.trim().startsWith('{'))?.body ?? firstJsonObject(text.replace(/```[\s\S]*?```/g, ''));
  if (!jsonText) return 'no json block with title, statistic_ids and period';
  let header: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(jsonText);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'the json block is not an object';
    header = parsed as Record<string, unknown>;
  } catch {
    return 'the json block is not valid JSON';
  }
  const script = python ?? (typeof header['script'] === 'string' ? header['script'] : undefined);
  if (!script?.trim()) return 'no python block with the script';
  if (script.length > MAX_SCRIPT_CHARS) return `the script is longer than ${MAX_SCRIPT_CHARS} characters`;
  const ids = header['statistic_ids'];
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id): id is string => typeof id === 'string')) return 'statistic_ids must list at least one statistic id';
  const unique = [...new Set(ids)];
  if (unique.length > MAX_SCRIPT_SERIES) return `statistic_ids lists more than ${MAX_SCRIPT_SERIES} series`;
  const unknown = unique.filter((id) => !known.has(id));
  if (unknown.length > 0) return `not among the home's statistics: ${unknown.join(', ')}`;
  const period = header['period'];
  if (period !== 'hour' && period !== 'day') return 'period must be "hour" or "day"';
  const title = typeof header['title'] === 'string' && header['title'].trim() ? header['title'].trim().slice(0, 120) : 'an analysis written for the question';
  return { title, statisticIds: unique, period, script };
}

/** The series listed for the model: all of them, or (in a large home) those sharing the most words with the question first. */
function offeredSeries(question: string, series: readonly StatisticSeries[]): StatisticSeries[] {
  if (series.length <= MAX_OFFERED_SERIES) return [...series];
  const asked = new Set(words(question));
  const score = (s: StatisticSeries) => new Set(words(`${s.id} ${s.name}`).filter((w) => asked.has(w))).size;
  return series
    .map((s) => ({ s, score: score(s) }))
    .sort((a, b) => b.score - a.score || a.s.id.localeCompare(b.s.id))
    .slice(0, MAX_OFFERED_SERIES)
    .map(({ s }) => s);
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]{3,}/g) ?? [];
}

/** The outermost `{…}` of a reply that has no json fence (a model answering with one JSON object). */
function firstJsonObject(text: string): string | undefined {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  return start >= 0 && end > start ? text.slice(start, end + 1) : undefined;
}
