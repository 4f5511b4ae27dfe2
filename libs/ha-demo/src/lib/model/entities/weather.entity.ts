import { SLOTS_PER_HOUR } from '../../time/slot-time';
import type { OutdoorClimate } from '../outdoor-climate';
import { DemoEntity, formatDecimal, type EntityAttributes } from './demo-entity';
import { floor, round } from '../../time/fast-math';

/** `weather.home`: the condition is re-evaluated hourly, like a forecast integration polling. */
export class WeatherEntity extends DemoEntity {
  constructor(private readonly climate: OutdoorClimate) {
    super('weather.home');
  }

  stateForSlot(slot: number): string {
    const hourSlot = floor(slot / SLOTS_PER_HOUR) * SLOTS_PER_HOUR;
    if (this.climate.isRaining(hourSlot)) return 'rainy';
    const clouds = this.climate.cloudiness(hourSlot);
    if (clouds > 0.65) return 'cloudy';
    if (clouds > 0.3) return 'partlycloudy';
    return this.climate.sunElevation(hourSlot) > 0 ? 'sunny' : 'clear-night';
  }

  attributesForSlot(slot: number): EntityAttributes {
    const hourSlot = floor(slot / SLOTS_PER_HOUR) * SLOTS_PER_HOUR;
    const clouds = this.climate.cloudiness(hourSlot);
    return {
      temperature: Number(formatDecimal(this.climate.temperatureC(hourSlot), 1)),
      humidity: round(72 + 20 * clouds),
      cloud_coverage: round(100 * clouds),
      pressure: Number(formatDecimal(1024 - 22 * clouds, 1)),
      wind_bearing: round((225 + 90 * (clouds - 0.5) + 360) % 360),
      wind_speed: Number(formatDecimal(this.climate.windSpeedKmh(hourSlot), 1)),
      temperature_unit: '°C',
      pressure_unit: 'hPa',
      wind_speed_unit: 'km/h',
      visibility_unit: 'km',
      precipitation_unit: 'mm',
      attribution: 'Simulated by the Aether demo home',
      friendly_name: 'Home',
      supported_features: 0,
    };
  }
}
