import type { HaEntityState } from '@aether/home-assistant';

/** `subscribe_entities`' compact form of a state (HA's `State.as_compressed_state`). */
export interface CompressedState {
  s: string;
  a: Record<string, unknown>;
  c: string | { id: string; parent_id: string | null; user_id: string | null };
  lc: number;
  lu?: number;
}

export interface CompressedDiff {
  '+'?: { s?: string; a?: Record<string, unknown>; c?: string | Record<string, unknown>; lc?: number; lu?: number };
  '-'?: { a: string[] };
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

function contextOf(state: HaEntityState): CompressedState['c'] {
  const context = state.context ?? { id: '', parent_id: null, user_id: null };
  return context.parent_id === null && context.user_id === null ? context.id : { id: context.id, parent_id: context.parent_id, user_id: context.user_id };
}

export function compressState(state: HaEntityState): CompressedState {
  const compressed: CompressedState = { s: state.state, a: state.attributes, c: contextOf(state), lc: seconds(state.last_changed) };
  if (state.last_updated !== state.last_changed) compressed.lu = seconds(state.last_updated);
  return compressed;
}

/** HA's `_state_diff`: only what changed, attribute removals under "-". */
export function diffStates(before: HaEntityState, after: HaEntityState): CompressedDiff {
  const additions: NonNullable<CompressedDiff['+']> = {};
  const diff: CompressedDiff = { '+': additions };
  if (before.state !== after.state) additions.s = after.state;
  if (before.last_changed !== after.last_changed) additions.lc = seconds(after.last_changed);
  else if (before.last_updated !== after.last_updated) additions.lu = seconds(after.last_updated);
  const oldContext = before.context;
  const newContext = after.context;
  if (newContext) {
    const context: Record<string, unknown> = {};
    if (oldContext?.parent_id !== newContext.parent_id) context['parent_id'] = newContext.parent_id;
    if (oldContext?.user_id !== newContext.user_id) context['user_id'] = newContext.user_id;
    if (oldContext?.id !== newContext.id) {
      if (Object.keys(context).length > 0) context['id'] = newContext.id;
      else additions.c = newContext.id;
    }
    if (Object.keys(context).length > 0) additions.c = context;
  }
  const changedAttributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after.attributes)) {
    if (JSON.stringify(before.attributes[key]) !== JSON.stringify(value)) changedAttributes[key] = value;
  }
  if (Object.keys(changedAttributes).length > 0) additions.a = changedAttributes;
  const removed = Object.keys(before.attributes).filter((key) => !(key in after.attributes));
  if (removed.length > 0) diff['-'] = { a: removed };
  return diff;
}
