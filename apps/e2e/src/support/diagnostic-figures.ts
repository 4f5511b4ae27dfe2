/**
 * Independent check of the diagnostic analyst's answer to "Why is my garage sensor unavailable?"
 * (the demo home's planted fault: the garage sensor drops off the Zigbee mesh every night): reads the
 * answer the user got, then finds the nightly outages itself in Home Assistant's history of the
 * garage temperature for exactly the window the report states.
 */
import { haTimeZone } from './ha-config';
export const GARAGE_QUESTION = 'Why is my garage sensor unavailable?';
const GARAGE_TEMPERATURE = 'sensor.garage_temperature';

export interface ReportedGarageOutages {
  nights: number;
  of: number;
  earliestStart: string;
  latestEnd: string;
}

export async function verifyGarageAnswer(answer: string, haUrl: string, token: string): Promise<ReportedGarageOutages> {
  const window = /Diagnostics window: (\S+) → (\S+) \(/.exec(answer);
  if (!window) throw new Error(`no "Diagnostics window:" line in the answer:\n${answer}`);
  const finding = /\*\*Answer\*\* \([^)]*sensor\.garage_temperature[^)]*\): Garage Sensor drops out every night (\d\d:\d\d)–(\d\d:\d\d)\.[^\n]*It was unavailable on (\d+) of the last (\d+) nights, between \1 and \2/.exec(answer);
  if (!finding) throw new Error(`the answer does not explain the garage sensor's nightly outages:\n${answer}`);
  const reported = { earliestStart: finding[1], latestEnd: finding[2], nights: Number(finding[3]), of: Number(finding[4]) };

  const headers = { Authorization: `Bearer ${token}` };
  const timeZone = await haTimeZone(haUrl, token);
  const url = `${haUrl}/api/history/period/${encodeURIComponent(window[1])}?end_time=${encodeURIComponent(window[2])}&filter_entity_id=${GARAGE_TEMPERATURE}&minimal_response&no_attributes`;
  const [series] = (await (await fetch(url, { headers })).json()) as Array<Array<{ state: string; last_changed: string }>>;
  const local = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const at = (iso: string) => Object.fromEntries(local.formatToParts(Date.parse(iso)).map((p) => [p.type, p.value]));
  // Outages that began and ended inside the window: a drop to unavailable after a reading, then a reading again.
  const nights = new Set<string>();
  const starts: string[] = [];
  const ends: string[] = [];
  for (let i = 1; i < series.length; i += 1) {
    if (series[i].state !== 'unavailable' || series[i - 1].state === 'unavailable') continue;
    const back = series.slice(i + 1).find((s) => s.state !== 'unavailable');
    if (!back) continue;
    const from = at(series[i].last_changed);
    const to = at(back.last_changed);
    nights.add(`${from['year']}-${from['month']}-${from['day']}`);
    starts.push(`${from['hour']}:${from['minute']}`);
    ends.push(`${to['hour']}:${to['minute']}`);
  }
  expect(nights.size).toBeGreaterThanOrEqual(5);
  expect(reported.nights).toBe(nights.size);
  expect(reported.of).toBe(Math.round((Date.parse(window[2]) - Date.parse(window[1])) / 86_400_000));
  expect(reported.earliestStart).toBe(starts.sort()[0]);
  expect(reported.latestEnd).toBe(ends.sort().at(-1));
  return reported;
}
