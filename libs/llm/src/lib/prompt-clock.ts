/**
 * The current date and time as a prompt line, in the home's time zone when it is known, so a model
 * reads "yesterday" or "this morning" as the home does instead of guessing the date. It goes at the
 * end of a system prompt: providers cache the unchanging prefix, and this line changes every minute.
 */
export function promptClockLine(now: Date, timeZone?: string): string {
  const zone = timeZone && isKnownZone(timeZone) ? timeZone : 'UTC';
  const local = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  }).format(now);
  return `Current date and time at the home: ${local} (time zone ${zone}${zone === timeZone ? '' : '; the home did not give its own'}).`;
}

function isKnownZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return true;
  } catch {
    return false;
  }
}
