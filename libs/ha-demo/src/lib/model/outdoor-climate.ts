import { DailySlotCache } from '../time/daily-slot-cache';
import { SLOT_MS, SLOTS_PER_HOUR } from '../time/slot-time';
import type { LocalCalendar } from '../time/local-calendar';
import { seedOf, smoothNoise } from './deterministic-random';
import type { DemoSite } from './demo-site';
import { PI, acos, cos, floor, max, min, sin } from '../time/fast-math';

const DEG = PI / 180;
const TEMPERATURE_DRIFT = seedOf('climate.temperature.drift');
const TEMPERATURE_GUST = seedOf('climate.temperature.gust');
const CLOUD = seedOf('climate.cloud');
const RAIN = seedOf('climate.rain');
const WIND = seedOf('climate.wind');

export interface SunPosition {
  elevation: number;
  azimuth: number;
}

/**
 * Outdoor conditions at the site: a temperate maritime climate (Dublin: ~5 °C in January,
 * ~15 °C in July) with a daily cycle and drifting weather, and the sun's position from the NOAA
 * solar-position approximation.
 */
export class OutdoorClimate {
  private readonly temperatures = new DailySlotCache((slot) => this.computeTemperature(slot));
  private readonly clouds = new DailySlotCache((slot) => this.computeCloudiness(slot));
  private readonly sunElevations = new DailySlotCache((slot) => this.sunAt(slot * SLOT_MS + SLOT_MS / 2).elevation);

  constructor(
    private readonly site: DemoSite,
    private readonly calendar: LocalCalendar,
  ) {}

  temperatureC(slot: number): number {
    return this.temperatures.get(slot);
  }

  /** 0 = clear sky … 1 = overcast; drifts over hours. */
  cloudiness(slot: number): number {
    return this.clouds.get(slot);
  }

  /** Sun elevation (degrees) at the middle of the slot. */
  sunElevation(slot: number): number {
    return this.sunElevations.get(slot);
  }

  private computeTemperature(slot: number): number {
    const local = this.calendar.at(slot);
    const seasonal = 10.3 - 5.1 * cos((2 * PI * (local.dayOfYear - 20)) / 365.25);
    const hour = local.minuteOfDay / 60;
    const diurnal = (2.2 + 1.2 * this.summerness(local.dayOfYear)) * cos((2 * PI * (hour - 15)) / 24);
    const days = slot / (SLOTS_PER_HOUR * 24);
    const drift = 3.2 * smoothNoise(TEMPERATURE_DRIFT, days / 1.6) + 0.7 * smoothNoise(TEMPERATURE_GUST, days * 4);
    return seasonal + diurnal + drift - 1.5 * this.cloudiness(slot) * max(0, cos((2 * PI * (hour - 14)) / 24));
  }

  private computeCloudiness(slot: number): number {
    const hours = slot / SLOTS_PER_HOUR;
    return min(1, max(0, 0.58 + 0.55 * smoothNoise(CLOUD, hours / 9)));
  }

  isRaining(slot: number): boolean {
    return this.cloudiness(slot) > 0.7 && smoothNoise(RAIN, slot / SLOTS_PER_HOUR / 2.5) > 0.05;
  }

  windSpeedKmh(slot: number): number {
    return 14 + 11 * smoothNoise(WIND, slot / SLOTS_PER_HOUR / 6);
  }

  sunAt(epochMs: number): SunPosition {
    const date = new Date(epochMs);
    const startOfYear = Date.UTC(date.getUTCFullYear(), 0, 1);
    const dayOfYear = floor((epochMs - startOfYear) / 86_400_000) + 1;
    const hourUtc = (epochMs % 86_400_000) / 3_600_000;
    const g = ((2 * PI) / 365) * (dayOfYear - 1 + (hourUtc - 12) / 24);
    const equationOfTime =
      229.18 *
      (0.000075 + 0.001868 * cos(g) - 0.032077 * sin(g) - 0.014615 * cos(2 * g) - 0.040849 * sin(2 * g));
    const declination =
      0.006918 -
      0.399912 * cos(g) +
      0.070257 * sin(g) -
      0.006758 * cos(2 * g) +
      0.000907 * sin(2 * g) -
      0.002697 * cos(3 * g) +
      0.00148 * sin(3 * g);
    const trueSolarMinutes = hourUtc * 60 + equationOfTime + 4 * this.site.longitude;
    const hourAngle = (trueSolarMinutes / 4 - 180) * DEG;
    const lat = this.site.latitude * DEG;
    const cosZenith = sin(lat) * sin(declination) + cos(lat) * cos(declination) * cos(hourAngle);
    const zenith = acos(min(1, max(-1, cosZenith)));
    const cosAzimuth = (sin(lat) * cos(zenith) - sin(declination)) / (cos(lat) * sin(zenith));
    let azimuth = 180 - acos(min(1, max(-1, cosAzimuth))) / DEG;
    if (hourAngle > 0) azimuth = 360 - azimuth;
    return { elevation: 90 - zenith / DEG, azimuth: ((azimuth % 360) + 360) % 360 };
  }

  /** Dark enough indoors to switch lights on (earlier under heavy cloud). */
  isDarkIndoors(slot: number): boolean {
    return this.sunElevation(slot) < 3 + 5 * this.cloudiness(slot);
  }

  private summerness(dayOfYear: number): number {
    return (1 - cos((2 * PI * (dayOfYear - 20)) / 365.25)) / 2;
  }
}
