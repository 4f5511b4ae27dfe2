import type { HaLogbookEntry } from '@aether/home-assistant';
import type { EntityChangeIndex } from '../history/entity-change-index';
import type { ChangeCause } from '../model/change-cause';
import type { DemoEntity } from '../model/entities/demo-entity';
import { haContextId } from '../model/ha-context-id';
import type { LogbookRequest } from '../model/home-model';
import { AUTOMATION_LEAD_MS, automationRunMs, showsRun, type HouseAutomation } from '../model/house-automations';
import { formatHaTimestamp } from '../time/ha-datetime';
import { max, min } from '../time/fast-math';

/** What the logbook needs from a house. */
export interface LogbookSource {
  readonly entities: readonly DemoEntity[];
  readonly automations: readonly HouseAutomation[];
  readonly automationEntityIds: ReadonlyMap<string, { entityId: string; alias: string }>;
  recordingStart(nowMs: number): number;
  changesOf(entity: DemoEntity): EntityChangeIndex;
}

interface TimedEntry {
  at: number;
  /** Orders an automation's trigger before the change it caused. */
  order: number;
  entry: HaLogbookEntry & Record<string, unknown>;
}


/**
 * HA's logbook over [start, end) as of `nowMs`: one entry per state change of every entity that is
 * not a continuous sensor (sensors with a unit or state class are left out, as HA does) — with
 * when/name/state/entity_id and context, but no `message` or `domain`: HA's frontend words a state
 * change itself — plus an
 * "automation triggered" entry per automation run. Changes carry their context: `context_user_id`
 * for a resident's own action (with the service they called), the automation's name and trigger
 * for automation-made ones. Oldest first.
 */
export function buildLogbook(house: LogbookSource, request: LogbookRequest, nowMs: number): HaLogbookEntry[] {
  const startMs = max(request.startMs, house.recordingStart(nowMs));
  const endMs = min(request.endMs, nowMs);
  if (endMs <= startMs) return [];
  const wanted = request.entityIds ? new Set(request.entityIds) : null;
  const entries: TimedEntry[] = [];

  for (const entity of house.entities) {
    if (wanted && !wanted.has(entity.entityId)) continue;
    if (entity.domain === 'automation') continue;
    const sample = entity.attributesForSlot(entity.slotShownAt(startMs), entity.stateForSlot(entity.slotShownAt(startMs)));
    if (entity.domain === 'sensor' && ('unit_of_measurement' in sample || 'state_class' in sample)) continue;
    for (const change of house.changesOf(entity).between(entity.slotShownAt(startMs), entity.slotShownAt(endMs - 1))) {
      const at = entity.reportTimeOf(change.slot);
      if (at < startMs || at >= endMs) continue;
      const attributes = entity.attributesForSlot(change.slot, change.state);
      const entry: HaLogbookEntry & Record<string, unknown> = {
        when: formatHaTimestamp(at),
        name: String(attributes['friendly_name'] ?? entity.entityId),
        entity_id: entity.entityId,
        state: change.state,
        ...(typeof attributes['icon'] === 'string' ? { icon: attributes['icon'] } : {}),
        ...causeFields(entity, at, entity.changeCause(change.slot, change.state), house.automationEntityIds),
      };
      entries.push({ at, order: 1, entry });
    }
  }

  for (const automation of house.automations) {
    const automationEntity = house.automationEntityIds.get(automation.key);
    if (!automationEntity || (wanted && !wanted.has(automationEntity.entityId))) continue;
    for (const run of automationRuns(house, automation, startMs - AUTOMATION_LEAD_MS, endMs + AUTOMATION_LEAD_MS)) {
      if (run.at < startMs || run.at >= endMs) continue;
      entries.push({
        at: run.at,
        order: 0,
        entry: {
          when: formatHaTimestamp(run.at),
          name: automation.config.alias,
          message: `triggered by ${run.source}`,
          source: run.source,
          entity_id: automationEntity.entityId,
          domain: 'automation',
          context_id: haContextId(automationEntity.entityId, run.at),
        },
      });
    }
  }

  entries.sort((a, b) => a.at - b.at || a.order - b.order);
  return entries.map(({ entry }) => entry);
}

function causeFields(
  entity: DemoEntity,
  at: number,
  cause: ChangeCause | null,
  automations: ReadonlyMap<string, { entityId: string; alias: string }>,
): Partial<HaLogbookEntry> & Record<string, unknown> {
  if (!cause) return { context_id: haContextId(entity.entityId, at) };
  if (cause.kind === 'user') {
    return {
      context_id: haContextId(entity.entityId, at),
      context_user_id: cause.userId,
      context_event_type: 'call_service',
      context_domain: cause.domain,
      context_service: cause.service,
    };
  }
  const automation = automations.get(cause.automationId);
  const name = automation?.alias ?? cause.automationId;
  const automationEntityId = automation?.entityId ?? `automation.${cause.automationId}`;
  return {
    context_id: haContextId(automationEntityId, at - AUTOMATION_LEAD_MS),
    context_event_type: 'automation_triggered',
    context_domain: 'automation',
    context_name: name,
    context_message: `triggered by ${cause.trigger}`,
    context_source: cause.trigger,
    context_entity_id: automationEntityId,
    context_entity_id_name: name,
  };
}

/** The runs of an automation in [fromMs, toMs): read off the changes it made (or that triggered it). */
function automationRuns(house: LogbookSource, automation: HouseAutomation, fromMs: number, toMs: number): Array<{ at: number; source: string }> {
  const runs: Array<{ at: number; source: string }> = [];
  for (const evidence of automation.evidence) {
    const entity = house.entities.find((candidate) => candidate.entityId === evidence.entityId);
    if (!entity) continue;
    for (const change of house.changesOf(entity).between(entity.slotShownAt(fromMs), entity.slotShownAt(toMs))) {
      const changeAt = entity.reportTimeOf(change.slot);
      const cause = entity.changeCause(change.slot, change.state);
      if (!showsRun(automation.key, evidence, change, cause)) continue;
      const source = evidence.kind !== 'caused' ? evidence.source : cause?.kind === 'automation' ? cause.trigger : '';
      runs.push({ at: automationRunMs(evidence, changeAt), source });
    }
  }
  return runs;
}
