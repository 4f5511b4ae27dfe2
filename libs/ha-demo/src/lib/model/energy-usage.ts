import { sharedDemoHouse, type DemoHouse } from './demo-house';
import { max } from '../time/fast-math';

export interface EnergyWindow {
  start: Date;
  end: Date;
}

/**
 * The kWh each energy sensor of the demo house records in [start, end): the last reading reported
 * before `end` minus the reading in effect at `start` — exactly what the difference between the
 * last and first states of `GET /api/history/period` shows for that window, provided the window
 * lies within recorded history (the last `historyDays`, not in the future).
 * Keyed by entity id, the mains meter first.
 */
export function demoEnergyUsageKwh(window: EnergyWindow, house: DemoHouse = sharedDemoHouse()): Record<string, number> {
  const startMs = window.start.getTime();
  const endMs = window.end.getTime();
  const usage: Record<string, number> = {};
  for (const sensor of house.energySensors) {
    if (endMs <= startMs) {
      usage[sensor.entityId] = 0;
      continue;
    }
    const first = sensor.meter.readingAt(sensor.slotShownAt(startMs));
    const last = sensor.meter.readingAt(max(sensor.slotShownAt(startMs), sensor.slotShownAt(endMs - 1)));
    usage[sensor.entityId] = (last - first) / 1000;
  }
  return usage;
}
