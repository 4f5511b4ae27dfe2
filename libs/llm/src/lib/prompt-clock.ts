/**
 * The current date and time as a prompt line, in the home's time zone when it is known, so a model
 * reads "yesterday" or "this morning" as the home does instead of guessing the date. It goes at the
 * end of a system prompt: providers cache the unchanging prefix, and this line changes every minute.
 */
export function promptClockLine(now: Date, timeZone?: string): string {
  const known = timeZone ? formatterFor(timeZone) : undefined;
  const zone = known ? (timeZone as string) : 'UTC';
  const local = (known ?? (formatterFor('UTC') as Intl.DateTimeFormat)).format(now);
  return `Current date and time at the home: ${local} (time zone ${zone}${zone === timeZone ? '' : '; the home did not give its own'}).`;
}

/** One formatter per zone (every request builds a prompt; building a formatter is the costly part); undefined for a zone Intl does not know. */
const formatters = new Map<string, Intl.DateTimeFormat | undefined>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | undefined {
  if (!formatters.has(timeZone)) {
    let formatter: Intl.DateTimeFormat | undefined;
    try {
      formatter = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'longOffset',
      });
    } catch {
      formatter = undefined;
    }
    formatters.set(timeZone, formatter);
  }
  return formatters.get(timeZone);
}
