import type { HaEntityState, HaHelperDomain, HaHelperItem } from '@aether/home-assistant';

/** What a helper entity shows: its state and attributes, as HA's `input_…` entity classes compute them. */
export interface HelperEntityChange {
  state: string;
  attributes: Record<string, unknown>;
}

/**
 * The state and attributes of a storage helper's entity for its config (`item`), keeping what it
 * showed before (`current`) where HA keeps it on a config update: a number clamped into the new
 * range, a still-offered option, a text, a date/time.
 */
export function helperEntityChange(domain: HaHelperDomain, item: HaHelperItem, timeZone: string, current?: HaEntityState): HelperEntityChange {
  const common = { ...(item['icon'] ? { icon: item['icon'] } : {}), friendly_name: item.name };
  switch (domain) {
    case 'input_boolean':
      return { state: current?.state ?? (item['initial'] ? 'on' : 'off'), attributes: { editable: true, ...common } };
    case 'input_button':
      return { state: current?.state ?? 'unknown', attributes: { editable: true, ...common } };
    case 'input_number': {
      const [min, max] = [item['min'] as number, item['max'] as number];
      const before = current ? Number(current.state) : NaN;
      const value = Number.isFinite(before) ? Math.min(max, Math.max(min, before)) : ((item['initial'] as number | undefined) ?? min);
      return {
        state: pyFloat(value),
        attributes: {
          initial: item['initial'] ?? null,
          editable: true,
          min,
          max,
          step: item['step'],
          mode: item['mode'],
          ...(item['unit_of_measurement'] ? { unit_of_measurement: item['unit_of_measurement'] } : {}),
          ...common,
        },
      };
    }
    case 'input_select': {
      const options = item['options'] as string[];
      const state = current && options.includes(current.state) ? current.state : ((item['initial'] as string | undefined) ?? options[0]);
      return { state, attributes: { options, editable: true, ...common } };
    }
    case 'input_text':
      return {
        state: current?.state ?? ((item['initial'] as string | undefined) ?? ''),
        attributes: {
          editable: true,
          min: item['min'],
          max: item['max'],
          pattern: item['pattern'] ?? null,
          mode: item['mode'],
          ...(item['unit_of_measurement'] ? { unit_of_measurement: item['unit_of_measurement'] } : {}),
          ...common,
        },
      };
    case 'input_datetime': {
      const [hasDate, hasTime] = [Boolean(item['has_date']), Boolean(item['has_time'])];
      const state = current?.state ?? datetimeState((item['initial'] as string | undefined) ?? '1970-01-01 00:00:00', hasDate, hasTime);
      return { state, attributes: { has_date: hasDate, has_time: hasTime, editable: true, ...datetimeParts(state, hasDate, hasTime, timeZone), ...common } };
    }
  }
}

/**
 * The storage item behind an editable helper the house already has (HA lists storage helpers by
 * their config; the house defines them by their states): its id is the entity's object id.
 */
export function helperItemOf(domain: HaHelperDomain, state: HaEntityState): HaHelperItem {
  const a = state.attributes;
  const id = state.entity_id.slice(domain.length + 1);
  const base = { id, name: String(a['friendly_name'] ?? id), ...(a['icon'] ? { icon: a['icon'] } : {}) };
  switch (domain) {
    case 'input_boolean':
    case 'input_button':
      return base;
    case 'input_number':
      return { ...base, min: a['min'], max: a['max'], step: a['step'] ?? 1, mode: a['mode'] ?? 'slider', ...(a['unit_of_measurement'] ? { unit_of_measurement: a['unit_of_measurement'] } : {}) };
    case 'input_select':
      return { ...base, options: a['options'] };
    case 'input_text':
      return { ...base, min: a['min'] ?? 0, max: a['max'] ?? 100, mode: a['mode'] ?? 'text', ...(a['pattern'] ? { pattern: a['pattern'] } : {}) };
    case 'input_datetime':
      return { ...base, has_date: Boolean(a['has_date']), has_time: Boolean(a['has_time']) };
  }
}

/** Python's `str(float)`, as HA shows an input_number's state: 30 → "30.0". */
function pyFloat(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

function datetimeState(initial: string, hasDate: boolean, hasTime: boolean): string {
  const [date = '1970-01-01', time = '00:00:00'] = initial.includes(' ') || initial.includes('T') ? initial.split(/[ T]/) : initial.includes('-') ? [initial] : ['1970-01-01', initial];
  const seconds = time.split(':').length === 2 ? `${time}:00` : time;
  const clock = seconds.padStart(8, '0');
  if (hasDate && hasTime) return `${date} ${clock}`;
  return hasDate ? date : clock;
}

function datetimeParts(state: string, hasDate: boolean, hasTime: boolean, timeZone: string): Record<string, number> {
  const [date, time] = hasDate && hasTime ? state.split(' ') : hasDate ? [state, undefined] : [undefined, state];
  const parts: Record<string, number> = {};
  if (date) [parts['year'], parts['month'], parts['day']] = date.split('-').map(Number);
  if (time) [parts['hour'], parts['minute'], parts['second']] = time.split(':').map(Number);
  // HA: seconds since midnight for a time alone, else the epoch timestamp of the wall time in HA's zone.
  parts['timestamp'] = date
    ? zonedEpochSeconds(Date.UTC(parts['year'], parts['month'] - 1, parts['day'], parts['hour'] ?? 0, parts['minute'] ?? 0, parts['second'] ?? 0), timeZone)
    : (parts['hour'] ?? 0) * 3600 + (parts['minute'] ?? 0) * 60 + (parts['second'] ?? 0);
  return parts;
}

/** The epoch seconds of a wall time (given as if it were UTC) in `timeZone`. */
function zonedEpochSeconds(wallAsUtcMs: number, timeZone: string): number {
  const shown = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .formatToParts(new Date(wallAsUtcMs))
    .reduce<Record<string, number>>((acc, part) => (part.type === 'literal' ? acc : { ...acc, [part.type]: Number(part.value) }), {});
  const offsetMs = Date.UTC(shown['year'], shown['month'] - 1, shown['day'], shown['hour'], shown['minute'], shown['second']) - wallAsUtcMs;
  return (wallAsUtcMs - offsetMs) / 1000;
}
