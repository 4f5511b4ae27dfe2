import { z } from 'zod';

// Structural checks on what HA returns: the fields the types promise, anything else passed through.

export const pingResponseSchema = z.looseObject({ message: z.string() });

export const entityStateSchema = z.looseObject({
  entity_id: z.string(),
  state: z.string(),
  attributes: z.record(z.string(), z.unknown()),
  last_changed: z.string(),
  last_updated: z.string(),
});

export const entityStatesSchema = z.array(entityStateSchema);

export const coreConfigSchema = z.looseObject({
  location_name: z.string(),
  latitude: z.number(),
  longitude: z.number(),
  elevation: z.number(),
  unit_system: z.record(z.string(), z.string()),
  time_zone: z.string(),
  components: z.array(z.string()),
  version: z.string(),
});

export const historySchema = z.array(
  z.array(
    z.looseObject({
      entity_id: z.string().optional(),
      state: z.string(),
      attributes: z.record(z.string(), z.unknown()).optional(),
      last_changed: z.string(),
      last_updated: z.string().optional(),
    }),
  ),
);

export const energyPrefsSchema = z.looseObject({
  energy_sources: z.array(z.looseObject({ type: z.string() })),
  device_consumption: z.array(z.looseObject({ stat_consumption: z.string() })),
});
