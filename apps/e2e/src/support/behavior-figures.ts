/**
 * Independent check of the behavioral analyst's porch-light finding (the demo home's planted habit:
 * the porch light switched on by hand at about 19:05 on most evenings): reads the answer the user
 * got, then counts the habit's evenings itself from Home Assistant's logbook for exactly the window
 * the report states.
 */
import { haTimeZone } from './ha-config';
export const PORCH_LIGHT = 'light.porch';
const PLANTED_MINUTE = 19 * 60 + 5;

export interface ReportedPorchHabit {
  /** Local minute of the day of the usual time the answer names. */
  usualMinute: number;
  days: number;
  of: number;
}

export async function verifyPorchLightAnswer(answer: string, haUrl: string, token: string): Promise<ReportedPorchHabit> {
  const window = /Logbook window: (\S+) → (\S+) \(/.exec(answer);
  if (!window) throw new Error(`no "Logbook window:" line in the answer:\n${answer}`);
  const finding = /\*\*Porch Light is switched on by hand around (\d\d):(\d\d)\*\*: On (\d+) of (\d+) evenings[^\n]*An automation at \1:\2 would do it for you\./.exec(answer);
  if (!finding) throw new Error(`the answer names no porch-light automation candidate:\n${answer}`);
  const reported = { usualMinute: Number(finding[1]) * 60 + Number(finding[2]), days: Number(finding[3]), of: Number(finding[4]) };
  expect(Math.abs(reported.usualMinute - PLANTED_MINUTE)).toBeLessThanOrEqual(15);

  const headers = { Authorization: `Bearer ${token}` };
  const timeZone = await haTimeZone(haUrl, token);
  const url = `${haUrl}/api/logbook/${encodeURIComponent(window[1])}?end_time=${encodeURIComponent(window[2])}&entity=${PORCH_LIGHT}`;
  const entries = (await (await fetch(url, { headers })).json()) as Array<{ when: string; entity_id?: string; state?: string; context_user_id?: string | null }>;
  const local = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const evenings = new Set<string>();
  for (const entry of entries) {
    if (entry.entity_id !== PORCH_LIGHT || entry.state !== 'on' || !entry.context_user_id) continue;
    const parts = Object.fromEntries(local.formatToParts(Date.parse(entry.when)).map((p) => [p.type, p.value]));
    const minute = Number(parts['hour']) * 60 + Number(parts['minute']);
    if (Math.abs(minute - PLANTED_MINUTE) <= 30) evenings.add(`${parts['year']}-${parts['month']}-${parts['day']}`);
  }
  expect(evenings.size).toBeGreaterThanOrEqual(3);
  expect(reported.days).toBe(evenings.size);
  expect(reported.of).toBeGreaterThanOrEqual(reported.days);
  return reported;
}

interface LogbookRow {
  when: string;
  entity_id?: string;
  state?: string;
  context_user_id?: string | null;
  context_entity_id?: string;
}

/**
 * Independent check of the behavioral analyst's automation effectiveness lines: for each automation
 * listed, its runs ("triggered" rows), the changes it made (rows whose context names it) and the
 * ones a person undid (the entity's next change, within an hour, by a user, to another state) —
 * counted here from HA's logbook for exactly the window the report states.
 */
export async function verifyAutomationEffects(answer: string, haUrl: string, token: string): Promise<number> {
  const window = /Logbook window: (\S+) → (\S+) \(/.exec(answer);
  if (!window) throw new Error(`no "Logbook window:" line in the answer:\n${answer}`);
  const reported = [...answer.matchAll(/^- .+ \((automation\.[a-z0-9_]+)\): (\d+) runs?, (\d+) changes?, (\d+) undone/gm)].map(([, id, runs, changes, undone]) => ({
    id,
    runs: Number(runs),
    changes: Number(changes),
    undone: Number(undone),
  }));
  expect(reported.length).toBeGreaterThan(0);

  const url = `${haUrl}/api/logbook/${encodeURIComponent(window[1])}?end_time=${encodeURIComponent(window[2])}`;
  const rows = (await (await fetch(url, { headers: { Authorization: `Bearer ${token}` } })).json()) as LogbookRow[];
  const changes = rows.filter((row) => row.entity_id && typeof row.state === 'string');
  for (const { id, runs, changes: made, undone } of reported) {
    const own = changes.filter((row) => row.context_entity_id === id);
    const overridden = own.filter((row) => {
      const next = changes.find((later) => later.entity_id === row.entity_id && Date.parse(later.when) > Date.parse(row.when));
      return next !== undefined && !!next.context_user_id && next.state !== row.state && Date.parse(next.when) - Date.parse(row.when) <= 3_600_000;
    });
    const triggered = rows.filter((row) => row.entity_id === id && row.state === undefined);
    expect({ id, runs, changes: made, undone }).toEqual({ id, runs: triggered.length, changes: own.length, undone: overridden.length });
  }
  return reported.length;
}
