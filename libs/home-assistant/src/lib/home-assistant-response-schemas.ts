import { z } from 'zod';
import { isRecord } from './json-values';

// Structural checks on what HA returns: the fields the types promise, anything else passed through.

export const pingResponseSchema = z.looseObject({ message: z.string() });

export const entityStateSchema = z.looseObject({
  entity_id: z.string(),
  state: z.string(),
  attributes: z.record(z.string(), z.unknown()),
  last_changed: z.string(),
  last_updated: z.string(),
});

/**
 * `schema`'s verdict without its cost in the common case. Zod copies every object it checks (and a
 * record schema visits every key): on HA's large answers — every state of a home, every row of a
 * month of meter history — that is most of the work. `looksValid` is a plain check that accepts
 * only values `schema` accepts (it may refuse more); whatever it refuses is checked by `schema`,
 * which gives the verdict and names the field. Measured on 30 days × 60 meters of history (518,400
 * rows): 83–145 ms with the schema alone, 6–16 ms with the plain check first.
 */
function fastPathed<T extends z.ZodType>(schema: T, looksValid: (value: unknown) => boolean): z.ZodType<z.output<T>> {
  return z.unknown().superRefine((value, ctx) => {
    if (looksValid(value)) return;
    const result = schema.safeParse(value);
    if (!result.success) for (const issue of result.error.issues) ctx.addIssue({ ...issue });
  }) as unknown as z.ZodType<z.output<T>>;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isArrayOf = (value: unknown, item: (value: unknown) => boolean): boolean => Array.isArray(value) && value.every(item);

export const entityStatesSchema = fastPathed(z.array(entityStateSchema), (states) =>
  isArrayOf(
    states,
    (s) => isRecord(s) && isString(s['entity_id']) && isString(s['state']) && isRecord(s['attributes']) && isString(s['last_changed']) && isString(s['last_updated']),
  ),
);

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

const historyRowSchema = z.looseObject({
  entity_id: z.string().optional(),
  state: z.string(),
  attributes: z.record(z.string(), z.unknown()).optional(),
  last_changed: z.string(),
  last_updated: z.string().optional(),
});

export const historySchema = fastPathed(z.array(z.array(historyRowSchema)), (series) =>
  isArrayOf(series, (rows) =>
    isArrayOf(
      rows,
      (r) =>
        isRecord(r) &&
        isString(r['state']) &&
        isString(r['last_changed']) &&
        (r['entity_id'] === undefined || isString(r['entity_id'])) &&
        (r['attributes'] === undefined || isRecord(r['attributes'])) &&
        (r['last_updated'] === undefined || isString(r['last_updated'])),
    ),
  ),
);

export const energyPrefsSchema = z.looseObject({
  energy_sources: z.array(z.looseObject({ type: z.string() })),
  device_consumption: z.array(z.looseObject({ stat_consumption: z.string() })),
});

const nullableString = z.string().nullable();

const serviceDescriptionSchema = z.looseObject({ fields: z.record(z.string(), z.unknown()) });

/** `GET /api/services`. */
export const serviceDomainsSchema = z.array(
  z.looseObject({ domain: z.string(), services: z.record(z.string(), serviceDescriptionSchema) }),
);

/** WS `get_services`. */
export const servicesByDomainSchema = z.record(z.string(), z.record(z.string(), serviceDescriptionSchema));

/** `POST /api/services/<d>/<s>`: a list of changed states, or an object with `?return_response`. */
export const serviceCallResponseSchema = z.union([
  entityStatesSchema,
  z.looseObject({
    changed_states: entityStatesSchema,
    service_response: z.record(z.string(), z.unknown()).optional(),
  }),
]);

/** REST logbook entries carry `when` as ISO text, WS ones as epoch seconds. */
export const logbookEntriesSchema = z.array(z.looseObject({ when: z.union([z.string(), z.number()]) }));

export const configCheckSchema = z.looseObject({
  result: z.enum(['valid', 'invalid']),
  errors: nullableString,
  warnings: nullableString.optional(),
});

const configItemsSchema = z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]);

// Stored configs come back as written in the YAML files: only the keys Aether relies on are checked.
// A blueprint-based automation or script stores `use_blueprint` (the blueprint's path and inputs)
// instead of its triggers and actions or its sequence.
const blueprintUseSchema = z.looseObject({ path: z.string(), input: z.record(z.string(), z.unknown()).optional() });
export const automationConfigSchema = z.looseObject({
  id: z.string().optional(),
  alias: z.string().optional(),
  use_blueprint: blueprintUseSchema.optional(),
});
export const scriptConfigSchema = z.union([z.looseObject({ sequence: configItemsSchema }), z.looseObject({ use_blueprint: blueprintUseSchema })]);
export const sceneConfigSchema = z.looseObject({ name: z.string(), entities: z.record(z.string(), z.unknown()) });

export const configWriteResultSchema = z.looseObject({ result: z.literal('ok') });

export const configEntriesSchema = z.array(
  z.looseObject({ entry_id: z.string(), domain: z.string(), title: z.string(), source: z.string(), state: z.string() }),
);

export const entityRegistrySchema = z.array(
  z.looseObject({
    entity_id: z.string(),
    platform: z.string(),
    device_id: nullableString,
    area_id: nullableString,
    disabled_by: nullableString,
  }),
);

export const deviceRegistrySchema = z.array(
  z.looseObject({ id: z.string(), name: nullableString, area_id: nullableString }),
);

export const areaRegistrySchema = z.array(
  // `floor_id` exists since HA 2024.4.
  z.looseObject({ area_id: z.string(), name: z.string(), floor_id: nullableString.optional() }),
);

export const floorRegistrySchema = z.array(
  z.looseObject({ floor_id: z.string(), name: z.string(), level: z.number().nullable() }),
);

/** Rows carry `start`/`end` as epoch milliseconds (HA ≥ 2023.3). */
export const statisticsResultSchema = z.record(
  z.string(),
  z.array(z.looseObject({ start: z.number(), end: z.number() })),
);

export const statisticIdsSchema = z.array(z.looseObject({ statistic_id: z.string() }));

export const lovelaceConfigSchema = z.looseObject({ views: z.array(z.record(z.string(), z.unknown())).optional() });

export const lovelaceDashboardSchema = z.looseObject({
  id: z.string(),
  url_path: z.string(),
  title: z.string(),
  icon: z.string().optional(),
  show_in_sidebar: z.boolean(),
  require_admin: z.boolean(),
  mode: z.enum(['storage', 'yaml']),
});
export const lovelaceDashboardsSchema = z.array(lovelaceDashboardSchema);

/** A storage helper item (`input_*` collections): its id, name and the domain's own fields. */
export const helperItemSchema = z.looseObject({ id: z.string(), name: z.string() });
export const helperItemsSchema = z.array(helperItemSchema);

export const currentUserSchema = z.looseObject({ id: z.string(), name: z.string().nullable(), is_owner: z.boolean(), is_admin: z.boolean() });
