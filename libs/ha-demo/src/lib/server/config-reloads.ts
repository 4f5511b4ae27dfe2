import type { ConfigKind } from '../live/config-schemas';
import type { LiveHome } from '../live/live-home';
import type { MutationLog } from '../live/mutation-log';
import type { HomeEventBus } from './home-event-bus';

/** HA's default-ish pause between a config write's answer and its reload having taken effect. */
export const DEFAULT_CONFIG_RELOAD_DELAY_MS = 200;

/**
 * HA answers a config write before reloading it (`hass.async_create_task(post_write_hook…)`), so
 * the entity appears or changes only later. The demo does the same: each write schedules the
 * reload of the configs it touched after a delay. After a create or update HA's hook calls the
 * domain's `reload` service (`automation.reload` with the written id; `script.reload` and
 * `scene.reload` with no data), which the mutation log shows as HA's own (`transport: internal`);
 * after a delete it only removes the entity.
 */
export class ConfigReloads {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly house: LiveHome,
    private readonly events: HomeEventBus,
    private readonly now: () => number,
    private readonly delayMs: number,
    private readonly mutations: MutationLog,
  ) {}

  /** `written`: the id of the config a create or update wrote (HA then calls the reload service); absent for a delete. */
  schedule(kind: ConfigKind, ids: readonly string[], written?: string): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (written !== undefined) {
        const serviceData = kind === 'automation' ? { id: written } : {};
        this.mutations.record(this.now(), 'service_call', { transport: 'internal', domain: kind, service: 'reload', service_data: serviceData });
      }
      for (const id of new Set(ids)) this.house.reloadConfig(kind, id, this.now());
      this.events.refresh();
    }, this.delayMs);
    this.timers.add(timer);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
