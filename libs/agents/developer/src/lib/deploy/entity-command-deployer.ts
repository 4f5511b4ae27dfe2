import { setTimeout as delay } from 'node:timers/promises';
import type { EntityCommandPayload, Proposal } from '@aether/core';
import { HomeAssistantClient, type HaEntityState } from '@aether/home-assistant';
import { DeployFailure, refusedAs, type Deployment } from './proposal-deployer';

/** The state an entity shows once a service took effect, where the service names one. */
const TARGET_STATES: Readonly<Record<string, readonly string[]>> = {
  turn_on: ['on'],
  turn_off: ['off'],
  lock: ['locked'],
  unlock: ['unlocked'],
  open_cover: ['open', 'opening'],
  close_cover: ['closed', 'closing'],
  alarm_disarm: ['disarmed'],
  alarm_arm_home: ['armed_home', 'arming'],
  alarm_arm_away: ['armed_away', 'arming'],
  alarm_arm_night: ['armed_night', 'arming'],
};

/** Services whose effect an earlier state can undo: the service that puts each entity back. */
const RESTORING_SERVICE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  on: { light: 'turn_on', switch: 'turn_on', fan: 'turn_on', input_boolean: 'turn_on', media_player: 'turn_on', climate: 'turn_on', automation: 'turn_on' },
  off: { light: 'turn_off', switch: 'turn_off', fan: 'turn_off', input_boolean: 'turn_off', media_player: 'turn_off', climate: 'turn_off', automation: 'turn_off' },
  locked: { lock: 'lock' },
  unlocked: { lock: 'unlock' },
  open: { cover: 'open_cover' },
  closed: { cover: 'close_cover' },
};

const FIRST_POLL_MS = 50;
const MAX_POLL_MS = 1_000;

export interface EntityCommandDeployerOptions {
  /** How long a device may take to show the state the service asks for. Default 10 s. */
  verifyTimeoutMs?: number;
}

/**
 * Runs an approved one-off service call ("turn off the kitchen light"): snapshots the targeted
 * entities' states, calls the service, and — where the service names the state it leads to — waits
 * until HA shows it. Rollback calls the service that puts each entity back in its snapshot state
 * (on/off, locked/unlocked, open/closed; a climate's target temperature), and says so where none can.
 */
export class EntityCommandDeployer {
  private readonly verifyTimeoutMs: number;

  constructor(
    private readonly ha: HomeAssistantClient,
    options: EntityCommandDeployerOptions = {},
  ) {
    this.verifyTimeoutMs = options.verifyTimeoutMs ?? 10_000;
  }

  async deploy(proposal: Proposal): Promise<Deployment> {
    if (proposal.status !== 'approved') throw new DeployFailure(`Proposal ${proposal.id} is ${proposal.status}, not approved: nothing was run.`);
    const command = proposal.payload as EntityCommandPayload;
    const before = await refusedAs(() => this.statesOf(command.entityIds), 'read the targeted entities');
    const missing = command.entityIds.filter((id) => !before.has(id));
    if (missing.length > 0) throw new DeployFailure(`Home Assistant has no entity ${missing.join(', ')} any more: nothing was run.`);
    await refusedAs(() => this.ha.callService(command.domain, command.service, command.data ?? {}, { entity_id: command.entityIds }), `run ${command.domain}.${command.service}`);
    const expected = this.expectation(command);
    const after = expected ? await this.awaitStates(command.entityIds, expected) : await this.statesOf(command.entityIds);
    const snapshot = Object.fromEntries([...before].map(([id, state]) => [id, { state: state.state, attributes: state.attributes }]));
    return {
      snapshot,
      result: { haId: proposal.haId, entityId: command.entityIds.join(','), states: Object.fromEntries([...after].map(([id, state]) => [id, state.state])) },
    };
  }

  async rollback(proposal: Proposal): Promise<{ haId: string; entityId: string | null }> {
    if (proposal.status !== 'deployed') throw new DeployFailure(`Proposal ${proposal.id} is ${proposal.status}, not deployed: nothing to roll back.`);
    const command = proposal.payload as EntityCommandPayload;
    const snapshot = (proposal.snapshot ?? {}) as Record<string, { state: string; attributes: Record<string, unknown> }>;
    for (const id of command.entityIds) {
      const previous = snapshot[id];
      if (!previous) throw new DeployFailure(`No state of ${id} was kept before the command ran: it cannot be put back.`);
      const domain = id.split('.')[0];
      if (command.domain === 'climate' && command.service === 'set_temperature' && typeof previous.attributes['temperature'] === 'number') {
        await refusedAs(() => this.ha.callService('climate', 'set_temperature', { temperature: previous.attributes['temperature'] }, { entity_id: id }), `restore ${id}'s temperature`);
        continue;
      }
      const service = RESTORING_SERVICE[previous.state]?.[domain];
      if (!service) throw new DeployFailure(`${id} was "${previous.state}" before the command; Aether cannot put a ${domain} back to that state.`);
      await refusedAs(() => this.ha.callService(domain, service, {}, { entity_id: id }), `put ${id} back to ${previous.state}`);
    }
    return { haId: proposal.haId, entityId: command.entityIds.join(',') };
  }

  private expectation(command: EntityCommandPayload): ((state: HaEntityState) => boolean) | undefined {
    if (command.domain === 'climate' && command.service === 'set_temperature' && typeof command.data?.['temperature'] === 'number') {
      const temperature = command.data['temperature'];
      return (state) => state.attributes['temperature'] === temperature;
    }
    const states = TARGET_STATES[command.service];
    return states ? (state) => states.includes(state.state) : undefined;
  }

  private async statesOf(entityIds: readonly string[]): Promise<Map<string, HaEntityState>> {
    const wanted = new Set(entityIds);
    return new Map((await this.ha.getStates()).filter((state) => wanted.has(state.entity_id)).map((state) => [state.entity_id, state]));
  }

  /** Polls with backoff until every entity shows the expected state; a device that never does fails the deploy with what HA shows. */
  private async awaitStates(entityIds: readonly string[], done: (state: HaEntityState) => boolean): Promise<Map<string, HaEntityState>> {
    const deadline = Date.now() + this.verifyTimeoutMs;
    for (let wait = FIRST_POLL_MS; ; wait = Math.min(wait * 2, MAX_POLL_MS)) {
      const states = await this.statesOf(entityIds);
      const pending = entityIds.filter((id) => !states.get(id) || !done(states.get(id)!));
      if (pending.length === 0) return states;
      const left = deadline - Date.now();
      if (left <= 0) {
        const shown = pending.map((id) => `${id} is ${states.get(id)?.state ?? 'gone'}`).join(', ');
        throw new DeployFailure(`Home Assistant ran the command, but after ${this.verifyTimeoutMs / 1000} s ${shown}.`);
      }
      await delay(Math.min(wait, left));
    }
  }

}
