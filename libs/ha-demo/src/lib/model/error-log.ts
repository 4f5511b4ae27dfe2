import type { LocalCalendar } from '../time/local-calendar';
import { DAY_MS } from '../time/slot-time';
import { between, chance, seedOf } from './deterministic-random';
import type { HouseholdHabits } from './household-habits';
import { floor, round } from '../time/fast-math';

const RESTART = seedOf('error_log.restart');
const NOISE = seedOf('error_log.noise');
const ROBOROCK = seedOf('error_log.roborock');
const HOUR_MS = 3_600_000;

interface LogLine {
  at: number;
  level: 'WARNING' | 'ERROR' | 'INFO';
  thread: string;
  logger: string;
  message: string;
}

/**
 * `GET /api/error_log`: HA's `home-assistant.log` since its last start. HA restarts every
 * Wednesday at ~03:10 (auto-update), so the log covers up to a week; its lines (anchored to the
 * same house days as history) are the failing Roborock login, the garage sensor dropping off the
 * Zigbee mesh every night, and the usual warnings of a lived-in install.
 */
export function buildErrorLog(nowMs: number, calendar: LocalCalendar, habits: HouseholdHabits): string {
  const start = lastRestartMs(nowMs, calendar);
  const lines: LogLine[] = [...startupLines(start), ...runningLines(start, nowMs, calendar, habits)].filter((line) => line.at <= nowMs);
  lines.sort((a, b) => a.at - b.at);
  return lines.map((line) => `${formatLogTime(line.at, calendar)} ${line.level} (${line.thread}) [${line.logger}] ${line.message}`).join('\n') + (lines.length ? '\n' : '');
}

/** The latest Wednesday ~03:10 local (the weekly auto-update restart) at or before `nowMs`. */
export function lastRestartMs(nowMs: number, calendar: LocalCalendar): number {
  const localMs = nowMs + calendar.offsetMinutes(nowMs) * 60_000;
  let day = floor(localMs / DAY_MS);
  for (;;) {
    if ((((day + 4) % 7) + 7) % 7 === 3) {
      const restart = calendar.wallTimeToEpochMs(day * DAY_MS + round(between(188, 196, RESTART, day)) * 60_000) + round(between(0, 59_999, RESTART, day, 1));
      if (restart <= nowMs) return restart;
    }
    day--;
  }
}

function startupLines(start: number): LogLine[] {
  return [
    {
      at: start + 412,
      level: 'WARNING',
      thread: 'SyncWorker_0',
      logger: 'homeassistant.loader',
      message:
        'We found a custom integration hacs which has not been tested by Home Assistant. This component might cause stability problems, be sure to disable it if you experience issues with Home Assistant',
    },
    {
      at: start + 9_871,
      level: 'ERROR',
      thread: 'MainThread',
      logger: 'homeassistant.components.roborock',
      message: 'Failed to get Roborock home data: Timeout while connecting to the Roborock cloud (api-eu.roborock.com)',
    },
    {
      at: start + 9_874,
      level: 'WARNING',
      thread: 'MainThread',
      logger: 'homeassistant.config_entries',
      message: "Config entry 'sam@example.ie' for roborock integration not ready yet: Timeout while connecting to the Roborock cloud; Retrying in background",
    },
    {
      at: start + 14_230,
      level: 'WARNING',
      thread: 'MainThread',
      logger: 'homeassistant.helpers.frame',
      message:
        'Detected that custom integration \'hacs\' calls async_forward_entry_setup for integration, hacs with title: HACS, which is deprecated, await async_forward_entry_setups instead at custom_components/hacs/__init__.py, line 176: hass.config_entries.async_forward_entry_setup(config_entry, Platform.SENSOR). This will stop working in Home Assistant 2025.6, please report it to the author of the \'hacs\' custom integration',
    },
    {
      at: start + 31_502,
      level: 'WARNING',
      thread: 'MainThread',
      logger: 'homeassistant.helpers.template',
      message:
        "Template variable warning: 'dict object' has no attribute 'battery' when rendering '{{ trigger.to_state.attributes.battery }}'",
    },
  ];
}

function runningLines(start: number, nowMs: number, calendar: LocalCalendar, habits: HouseholdHabits): LogLine[] {
  const lines: LogLine[] = [];
  // HA retries the failing entry with a back-off; the library logs each failed attempt.
  for (let k = 1, at = start + 9_871; at <= nowMs; k++) {
    at += k < 6 ? 2 ** k * 5_000 : round(between(70, 95, ROBOROCK, k)) * 60_000;
    lines.push({
      at,
      level: 'ERROR',
      thread: 'MainThread',
      logger: 'roborock.web_api',
      message: 'Timeout while connecting to the Roborock cloud (api-eu.roborock.com): cannot get home data',
    });
  }
  const firstDay = floor((start + calendar.offsetMinutes(start) * 60_000) / DAY_MS);
  const lastDay = floor((nowMs + calendar.offsetMinutes(nowMs) * 60_000) / DAY_MS);
  for (let day = firstDay; day <= lastDay; day++) {
    const dropout = habits.garageDropout(day);
    const wall = (minute: number) => calendar.wallTimeToEpochMs(day * DAY_MS + minute * 60_000);
    const lost = wall(dropout.from) + round(between(0, 50_000, NOISE, day, 1));
    if (lost > start) {
      lines.push({ at: lost, level: 'WARNING', thread: 'MainThread', logger: 'homeassistant.components.zha.core.device', message: '[0x9A3C](lumi.weather): Device seems unavailable' });
    }
    if (chance(0.45, NOISE, day, 2)) {
      const at = wall(round(between(0, 1439, NOISE, day, 3)));
      if (at > start) {
        lines.push({ at, level: 'WARNING', thread: 'MainThread', logger: 'pychromecast.socket_client', message: '[Kitchen Speaker(192.168.1.52):8009] Heartbeat timeout, resetting connection' });
      }
    }
    if (chance(0.3, NOISE, day, 4)) {
      const at = wall(round(between(0, 1439, NOISE, day, 5)));
      if (at > start) {
        lines.push({
          at,
          level: 'ERROR',
          thread: 'MainThread',
          logger: 'homeassistant.components.met.coordinator',
          message: 'Error fetching Home data: Update failed: Cannot connect to host api.met.no:443 ssl:default [Temporary failure in name resolution]',
        });
      }
    }
    if (chance(0.2, NOISE, day, 6)) {
      const at = wall(round(between(0, 1439, NOISE, day, 7)));
      if (at > start) {
        lines.push({ at, level: 'WARNING', thread: 'MainThread', logger: 'homeassistant.components.shelly.coordinator', message: 'Error fetching Dishwasher Plug data: Error fetching data: DeviceConnectionError()' });
      }
    }
  }
  // A slow recorder commit once a while (the history database is large).
  if (nowMs - start > 6 * HOUR_MS) {
    lines.push({
      at: start + 5 * HOUR_MS + 17 * 60_000 + 4_211,
      level: 'WARNING',
      thread: 'Recorder',
      logger: 'homeassistant.components.recorder.core',
      message: 'Database commit took 2.41 seconds; the recorder database is 1.9 GB, consider reducing purge_keep_days',
    });
  }
  return lines;
}

/** `2026-11-29 03:12:04.512` in local time, as HA's log formatter writes it. */
function formatLogTime(epochMs: number, calendar: LocalCalendar): string {
  const iso = new Date(epochMs + calendar.offsetMinutes(epochMs) * 60_000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}
