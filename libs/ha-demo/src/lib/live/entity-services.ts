import type { HaEntityState, HaServiceDescription } from '@aether/home-assistant';
import { z } from 'zod';
import { ServiceValidationError } from './service-errors';

/** The state and attributes an entity has after a service acted on it. */
export interface EntityChange {
  state: string;
  attributes: Record<string, unknown>;
}

export interface EntityServiceDefinition {
  description: HaServiceDescription;
  /** The service data besides the target (entity_id/device_id/area_id…), validated like HA's schema. */
  schema: z.ZodType<Record<string, unknown>>;
  apply(current: HaEntityState, data: Record<string, unknown>, nowMs: number): EntityChange;
}

const ENTITY_TARGET = { entity: {} };
const field = (description: string, example?: unknown, required = false) => ({ description, required, ...(example === undefined ? {} : { example }) });

function service(
  name: string,
  fields: Record<string, ReturnType<typeof field>>,
  shape: z.ZodRawShape,
  apply: EntityServiceDefinition['apply'],
): EntityServiceDefinition {
  return { description: { name, description: name, fields, target: ENTITY_TARGET }, schema: z.strictObject(shape) as z.ZodType<Record<string, unknown>>, apply };
}

const to = (state: string, current: HaEntityState, attributes: Record<string, unknown> = {}): EntityChange => ({
  state,
  attributes: { ...current.attributes, ...attributes },
});

const onOff = () => ({
  turn_on: service(`Turn on`, {}, {}, (current) => to('on', current)),
  turn_off: service(`Turn off`, {}, {}, (current) => to('off', current)),
  toggle: service(`Toggle`, {}, {}, (current) => to(current.state === 'on' ? 'off' : 'on', current)),
});

const lightOn = (current: HaEntityState, data: Record<string, unknown>): EntityChange => {
  const previous = typeof current.attributes['brightness'] === 'number' ? (current.attributes['brightness'] as number) : 255;
  const brightness =
    data['brightness'] !== undefined
      ? (data['brightness'] as number)
      : data['brightness_pct'] !== undefined
        ? Math.round(((data['brightness_pct'] as number) * 255) / 100)
        : previous;
  if (brightness === 0) return lightOff(current);
  const extra: Record<string, unknown> = { brightness };
  // A light that is on reports the colour mode it is in (HA leaves it null while off).
  const modes = current.attributes['supported_color_modes'];
  if ('color_mode' in current.attributes || Array.isArray(modes)) {
    extra['color_mode'] = data['color_temp_kelvin'] !== undefined ? 'color_temp' : data['rgb_color'] !== undefined ? 'rgb' : (current.attributes['color_mode'] ?? (Array.isArray(modes) ? modes[0] : 'brightness'));
  }
  if (data['color_temp_kelvin'] !== undefined) extra['color_temp_kelvin'] = data['color_temp_kelvin'];
  if (data['rgb_color'] !== undefined) extra['rgb_color'] = data['rgb_color'];
  return to('on', current, extra);
};
function lightOff(current: HaEntityState): EntityChange {
  return to('off', current, { brightness: null, ...('color_mode' in current.attributes || Array.isArray(current.attributes['supported_color_modes']) ? { color_mode: null } : {}) });
}

const LIGHT_ON_SHAPE = {
  brightness: z.number().int().min(0).max(255).optional(),
  brightness_pct: z.number().min(0).max(100).optional(),
  color_temp_kelvin: z.number().int().min(1000).max(20000).optional(),
  rgb_color: z.tuple([z.number().int().min(0).max(255), z.number().int().min(0).max(255), z.number().int().min(0).max(255)]).optional(),
  transition: z.number().min(0).optional(),
};
const LIGHT_ON_FIELDS = {
  brightness: field('Brightness 0–255', 120),
  brightness_pct: field('Brightness in %', 47),
  color_temp_kelvin: field('Colour temperature in K', 4000),
  rgb_color: field('RGB colour', [255, 100, 100]),
  transition: field('Seconds to fade', 2),
};

const optionsOf = (current: HaEntityState): string[] => (Array.isArray(current.attributes['options']) ? (current.attributes['options'] as string[]) : []);

/** input_select.select_next/previous: the option `step` away, wrapping around unless `cycle` is false. */
const offsetOption = (current: HaEntityState, step: number, cycle: boolean): EntityChange => {
  const options = optionsOf(current);
  const index = options.indexOf(current.state);
  const next = cycle ? (index + step + options.length) % options.length : Math.min(options.length - 1, Math.max(0, index + step));
  return to(options[next] ?? current.state, current);
};

const hvacModes = (current: HaEntityState): string[] =>
  Array.isArray(current.attributes['hvac_modes']) ? (current.attributes['hvac_modes'] as string[]) : ['off', 'heat', 'cool', 'auto'];

function climateMode(current: HaEntityState, mode: string): EntityChange {
  if (!hvacModes(current).includes(mode)) throw new ServiceValidationError(`HVAC mode ${mode} is not valid. Valid HVAC modes are: ${hvacModes(current).join(', ')}`);
  return to(mode, current);
}

function coverAt(current: HaEntityState, position: number): EntityChange {
  return to(position > 0 ? 'open' : 'closed', current, { current_position: position });
}

function numberValue(current: HaEntityState, value: number): EntityChange {
  const min = Number(current.attributes['min'] ?? -Infinity);
  const max = Number(current.attributes['max'] ?? Infinity);
  if (value < min || value > max) {
    throw new ServiceValidationError(`Invalid value for ${current.entity_id}: ${value} (range ${current.attributes['min']} - ${current.attributes['max']})`);
  }
  return to(String(value), current);
}

/**
 * The entity services the demo honours, by domain, with HA's effects on state and attributes.
 * `homeassistant.turn_on/turn_off/toggle` dispatch to these per entity domain; automation, script
 * and scene services live in `LiveHome` because they act on stored configs.
 */
export const ENTITY_SERVICES: Record<string, Record<string, EntityServiceDefinition>> = {
  light: {
    turn_on: service('Turn on', LIGHT_ON_FIELDS, LIGHT_ON_SHAPE, lightOn),
    turn_off: service('Turn off', { transition: field('Seconds to fade', 2) }, { transition: z.number().min(0).optional() }, (current) => lightOff(current)),
    toggle: service('Toggle', LIGHT_ON_FIELDS, LIGHT_ON_SHAPE, (current, data) => (current.state === 'on' ? lightOff(current) : lightOn(current, data))),
  },
  switch: onOff(),
  fan: onOff(),
  input_boolean: onOff(),
  climate: {
    set_temperature: service(
      'Set target temperature',
      { temperature: field('Target temperature', 21), target_temp_low: field('Low target', 19), target_temp_high: field('High target', 24), hvac_mode: field('HVAC mode', 'heat') },
      {
        temperature: z.number().optional(),
        target_temp_low: z.number().optional(),
        target_temp_high: z.number().optional(),
        hvac_mode: z.string().optional(),
      },
      (current, data) => {
        const base = typeof data['hvac_mode'] === 'string' ? climateMode(current, data['hvac_mode']) : to(current.state, current);
        const attributes = { ...base.attributes };
        for (const key of ['temperature', 'target_temp_low', 'target_temp_high']) if (data[key] !== undefined) attributes[key] = data[key];
        const min = Number(current.attributes['min_temp'] ?? -Infinity);
        const max = Number(current.attributes['max_temp'] ?? Infinity);
        const wanted = data['temperature'];
        if (typeof wanted === 'number' && (wanted < min || wanted > max)) {
          throw new ServiceValidationError(`Provided temperature ${wanted} is not valid. Accepted range is ${min} to ${max}.`);
        }
        return { state: base.state, attributes };
      },
    ),
    set_hvac_mode: service('Set HVAC mode', { hvac_mode: field('HVAC mode', 'heat', true) }, { hvac_mode: z.string() }, (current, data) =>
      climateMode(current, data['hvac_mode'] as string),
    ),
    turn_on: service('Turn on', {}, {}, (current) => climateMode(current, hvacModes(current).find((mode) => mode !== 'off') ?? 'heat')),
    turn_off: service('Turn off', {}, {}, (current) => climateMode(current, 'off')),
  },
  cover: {
    open_cover: service('Open', {}, {}, (current) => coverAt(current, 100)),
    close_cover: service('Close', {}, {}, (current) => coverAt(current, 0)),
    toggle: service('Toggle', {}, {}, (current) => coverAt(current, current.state === 'closed' ? 100 : 0)),
    set_cover_position: service('Set position', { position: field('Position 0–100', 50, true) }, { position: z.number().int().min(0).max(100) }, (current, data) =>
      coverAt(current, data['position'] as number),
    ),
    stop_cover: service('Stop', {}, {}, (current) => to(current.state, current)),
  },
  lock: {
    lock: service('Lock', { code: field('Code') }, { code: z.string().optional() }, (current) => to('locked', current)),
    unlock: service('Unlock', { code: field('Code') }, { code: z.string().optional() }, (current) => to('unlocked', current)),
  },
  media_player: {
    turn_on: service('Turn on', {}, {}, (current) => to('on', current)),
    turn_off: service('Turn off', {}, {}, (current) => to('off', current)),
    toggle: service('Toggle', {}, {}, (current) => to(current.state === 'off' ? 'on' : 'off', current)),
    media_play: service('Play', {}, {}, (current) => to('playing', current)),
    media_pause: service('Pause', {}, {}, (current) => to('paused', current)),
    media_stop: service('Stop', {}, {}, (current) => to('idle', current)),
    volume_set: service('Set volume', { volume_level: field('Volume 0–1', 0.4, true) }, { volume_level: z.number().min(0).max(1) }, (current, data) =>
      to(current.state, current, { volume_level: data['volume_level'] }),
    ),
    volume_mute: service('Mute', { is_volume_muted: field('Muted', true, true) }, { is_volume_muted: z.boolean() }, (current, data) =>
      to(current.state, current, { is_volume_muted: data['is_volume_muted'] }),
    ),
  },
  input_number: {
    set_value: service('Set', { value: field('Value', 10, true) }, { value: z.coerce.number() }, (current, data) => numberValue(current, data['value'] as number)),
    increment: service('Increment', {}, {}, (current) => numberValue(current, Number(current.state) + Number(current.attributes['step'] ?? 1))),
    decrement: service('Decrement', {}, {}, (current) => numberValue(current, Number(current.state) - Number(current.attributes['step'] ?? 1))),
  },
  input_text: {
    set_value: service('Set', { value: field('Value', 'hello', true) }, { value: z.string() }, (current, data) => {
      const value = data['value'] as string;
      const max = Number(current.attributes['max'] ?? 255);
      if (value.length > max) throw new ServiceValidationError(`Invalid value for ${current.entity_id}: ${value} (length range ${current.attributes['min'] ?? 0} - ${max})`);
      return to(value, current);
    }),
  },
  input_select: {
    select_option: service('Select', { option: field('Option', 'Home', true) }, { option: z.string() }, (current, data) => {
      const options = Array.isArray(current.attributes['options']) ? (current.attributes['options'] as string[]) : [];
      const option = data['option'] as string;
      if (!options.includes(option)) throw new ServiceValidationError(`Invalid option: ${option} (possible options: ${options.join(', ')})`);
      return to(option, current);
    }),
    select_first: service('First', {}, {}, (current) => to(optionsOf(current)[0] ?? current.state, current)),
    select_last: service('Last', {}, {}, (current) => to(optionsOf(current).at(-1) ?? current.state, current)),
    select_next: service('Next', { cycle: field('Cycle', true) }, { cycle: z.boolean().optional() }, (current, data) => offsetOption(current, 1, data['cycle'] !== false)),
    select_previous: service('Previous', { cycle: field('Cycle', true) }, { cycle: z.boolean().optional() }, (current, data) => offsetOption(current, -1, data['cycle'] !== false)),
  },
  // HA's InputButton: pressing records when (its state is the time of the last press).
  input_button: {
    press: service('Press', {}, {}, (current, _data, nowMs) => to(new Date(nowMs).toISOString().replace('Z', '+00:00'), current)),
  },
  input_datetime: {
    set_datetime: service(
      'Set',
      { date: field('Date', '2026-12-24'), time: field('Time', '07:30:00'), datetime: field('Date and time', '2026-12-24 07:30:00') },
      { date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(), time: z.string().regex(/^\d{1,2}:\d{2}(:\d{2})?$/).optional(), datetime: z.string().optional() },
      (current, data) => {
        const [hasDate, hasTime] = [Boolean(current.attributes['has_date']), Boolean(current.attributes['has_time'])];
        const given = data['datetime'] as string | undefined;
        const date = (given?.split(/[ T]/)[0] ?? (data['date'] as string | undefined)) ?? (hasDate ? current.state.split(' ')[0] : undefined);
        const rawTime = (given?.split(/[ T]/)[1] ?? (data['time'] as string | undefined)) ?? (hasTime ? current.state.split(' ').at(-1) : undefined);
        if (hasDate && !date) throw new ServiceValidationError('Date required');
        if (hasTime && !rawTime) throw new ServiceValidationError('Time required');
        const time = rawTime && rawTime.split(':').length === 2 ? `${rawTime}:00` : rawTime;
        const state = hasDate && hasTime ? `${date} ${time}` : hasDate ? (date as string) : (time as string).padStart(8, '0');
        return to(state, current);
      },
    ),
  },
};
