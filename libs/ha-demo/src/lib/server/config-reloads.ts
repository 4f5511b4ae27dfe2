import type { ConfigKind } from '../live/config-schemas';
import type { LiveHome } from '../live/live-home';
import type { HomeEventBus } from './home-event-bus';

/** HA's default-ish pause between a config write's answer and its reload having taken effect. */
export const DEFAULT_CONFIG_RELOAD_DELAY_MS = 200;

/**
 * HA answers a config write before reloading it (`hass.async_create_task(post_write_hook…)`), so
 * the entity appears or changes only later. The demo does the same: each write schedules the
 * reload of the configs it touched after a delay.
 */
export class ConfigReloads {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly house: LiveHome,
    private readonly events: HomeEventBus,
    private readonly now: () => number,
    private readonly delayMs: number,
  ) {}

  schedule(kind: ConfigKind, ids: readonly string[]): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
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
