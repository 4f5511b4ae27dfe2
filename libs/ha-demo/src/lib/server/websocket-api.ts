import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { HELPER_DOMAINS, type HaEntityState, type HaHelperDomain, type HaLovelaceConfig, type HaStatisticsPeriod, type HaStatisticType } from '@aether/home-assistant';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { HelperInvalidError, whenMs } from '../live/live-home';
import { energyPrefsInShape } from '../model/energy-prefs-shape';
import { newContext } from '../live/service-context';
import { ServiceDataError, ServiceNotFoundError, ServiceValidationError } from '../live/service-errors';
import { parseHaDatetime } from '../time/ha-datetime';
import { convertStatistics, unitsProblem } from '../statistics/statistic-units';
import { compressState, diffStates, type CompressedDiff, type CompressedState } from './compressed-state';
import { DEMO_USER, type DemoApiContext } from './demo-home-options';
import type { HaBusEvent, StateChangedData } from './home-event-bus';
import { tokenMatches } from '@aether/core';

export const WEBSOCKET_PATH = '/api/websocket';
/** HA drops a connection that has not authenticated within 10 s. */
const AUTH_TIMEOUT_MS = 10_000;
const STATISTICS_PERIODS: readonly HaStatisticsPeriod[] = ['5minute', 'hour', 'day', 'week', 'month'];
const STATISTIC_TYPES: readonly HaStatisticType[] = ['change', 'last_reset', 'max', 'mean', 'min', 'state', 'sum'];

/** A command HA refuses, with one of its error codes (`not_found`, `invalid_format`, `home_assistant_error`…). */
export class WebSocketCommandError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One authenticated connection: how a command answers, subscribes and is told about its subscriptions ending. */
interface Connection {
  id: number;
  send(message: unknown): void;
  /** Registers the cleanup of a subscription made by command `id`. */
  addSubscription(id: number, unsubscribe: () => void): void;
  removeSubscription(id: number): boolean;
}

type CommandHandler = (context: DemoApiContext, message: Record<string, unknown>, connection: Connection) => unknown;

/** Commands HA marks `@require_admin`: a non-admin user gets `unauthorized`. */
const ADMIN_COMMANDS: ReadonlySet<string> = new Set([
  'lovelace/config/save',
  'lovelace/config/delete',
  'lovelace/dashboards/create',
  'lovelace/dashboards/delete',
  'fire_event',
  ...HELPER_DOMAINS.flatMap((domain) => [`${domain}/create`, `${domain}/update`, `${domain}/delete`]),
]);
/** Panels HA's frontend registers itself: a dashboard cannot take their url path. */
const BUILT_IN_PANELS: ReadonlySet<string> = new Set(['lovelace', 'energy', 'map', 'logbook', 'history', 'config', 'developer-tools', 'profile', 'todo', 'media-browser', 'calendar', 'security']);

/** The commands the demo answers, with HA's result payloads and error codes. */
const COMMANDS: Record<string, CommandHandler> = {
  'auth/current_user': (context) => ({
    ...DEMO_USER,
    is_owner: context.admin,
    is_admin: context.admin,
    credentials: [{ auth_provider_type: 'homeassistant', auth_provider_id: null }],
    mfa_modules: [],
  }),
  get_states: (context) => context.house.states(context.now()),
  get_config: (context) => context.house.coreConfig(),
  get_services: (context) => context.house.services(context.now()),
  'energy/get_prefs': (context) => {
    const prefs = context.house.energyPrefs();
    if (!prefs) throw new WebSocketCommandError('not_found', 'No prefs');
    return energyPrefsInShape(prefs, context.energyPrefsShape);
  },
  // Sent by HA clients right after auth (id 1) to opt in to message coalescing; the demo never coalesces.
  supported_features: () => null,
  'config/entity_registry/list': (context) => context.house.registries().entities,
  'config/device_registry/list': (context) => context.house.registries().devices,
  'config/area_registry/list': (context) => context.house.registries().areas,
  'config/floor_registry/list': (context) => context.house.registries().floors,
  'config_entries/get': (context) => context.house.configEntries(),
  'recorder/list_statistic_ids': (context, message) => {
    const type = message['statistic_type'];
    if (type !== undefined && type !== 'mean' && type !== 'sum') throw invalid(`value must be one of ['mean', 'sum'] for dictionary value @ data['statistic_type']`);
    const ids = context.house.statisticIds();
    return type === 'sum' ? ids.filter((meta) => meta.has_sum) : type === 'mean' ? ids.filter((meta) => meta.has_mean) : ids;
  },
  'recorder/statistics_during_period': (context, message) => {
    const now = context.now();
    const startMs = timeParam(context, message, 'start_time', true) as number;
    const endMs = timeParam(context, message, 'end_time', false) ?? now;
    const period = message['period'];
    if (!STATISTICS_PERIODS.includes(period as HaStatisticsPeriod)) throw invalid(`value must be one of ${JSON.stringify(STATISTICS_PERIODS)} for dictionary value @ data['period']`);
    // HA's schema: `vol.Required("statistic_ids"): vol.All([str], vol.Length(min=1))`.
    const statisticIds = stringList(message, 'statistic_ids');
    if (!statisticIds) throw invalid("required key not provided @ data['statistic_ids']");
    if (statisticIds.length === 0) throw invalid("length of value must be at least 1 for dictionary value @ data['statistic_ids']");
    const types = stringList(message, 'types');
    if (types?.some((type) => !STATISTIC_TYPES.includes(type as HaStatisticType))) throw invalid(`value must be one of ${JSON.stringify(STATISTIC_TYPES)} @ data['types']`);
    const unitsRefused = unitsProblem(message['units']);
    if (unitsRefused) throw invalid(unitsRefused);
    const result = context.house.statistics({ startMs, endMs, statisticIds, period: period as HaStatisticsPeriod, types: types as HaStatisticType[] | undefined }, now);
    if (!message['units']) return result;
    const metadata = new Map(context.house.statisticIds().map((meta) => [meta.statistic_id, meta]));
    const unitOf = (id: string) => {
      const meta = metadata.get(id);
      return meta ? { unit: meta.statistics_unit_of_measurement ?? null, unitClass: meta.unit_class ?? null } : undefined;
    };
    return convertStatistics(result, unitOf, message['units'] as Record<string, string>);
  },
  'logbook/get_events': (context, message) => {
    const now = context.now();
    const startMs = timeParam(context, message, 'start_time', true) as number;
    const endMs = timeParam(context, message, 'end_time', false) ?? now;
    if (startMs > now) return [];
    const entityIds = stringList(message, 'entity_ids');
    const deviceIds = stringList(message, 'device_ids');
    // `device_ids` selects device events (device triggers, `logbook_entry` with a device), not the
    // state changes of the devices' entities; the demo's devices fire no such events.
    if (deviceIds && !entityIds) return [];
    return context.house.logbook({ startMs, endMs: Math.min(endMs, now + 1), entityIds }, now).map((entry) => ({ ...entry, when: whenMs(entry.when) / 1000 }));
  },
  // HA's lovelace/websocket.py: an unknown url_path is `config_not_found` "Unknown config specified";
  // a known dashboard without a stored config is `config_not_found` "No config found.".
  'lovelace/config': (context, message) => {
    const urlPath = dashboardPath(context, message);
    const config = urlPath === null ? context.house.lovelace() : context.house.lovelaceDashboard(urlPath)!.config;
    if (!config) throw new WebSocketCommandError('config_not_found', 'No config found.');
    return config;
  },
  'lovelace/config/save': (context, message) => {
    const now = context.now();
    const detail = { transport: 'websocket', url_path: message['url_path'] ?? null, config: message['config'] };
    const config = message['config'];
    let urlPath: string | null;
    try {
      urlPath = dashboardPath(context, message);
    } catch (error) {
      context.mutations.record(now, 'lovelace_save', detail, (error as Error).message);
      throw error;
    }
    if (!isRecord(config) || !Array.isArray(config['views'])) {
      context.mutations.record(now, 'lovelace_save', detail, 'expected a dashboard config with views');
      throw invalid(`expected a dictionary with a list of views @ data['config']`);
    }
    if (urlPath === null) context.house.saveLovelace(config as HaLovelaceConfig);
    else context.house.saveDashboardConfig(urlPath, config as HaLovelaceConfig);
    context.mutations.record(now, 'lovelace_save', detail);
    return null;
  },
  // LovelaceStorage.async_delete saves None: the dashboard stays, its config is gone.
  'lovelace/config/delete': (context, message) => {
    const now = context.now();
    const detail = { transport: 'websocket', url_path: message['url_path'] ?? null };
    let urlPath: string | null;
    try {
      urlPath = dashboardPath(context, message);
    } catch (error) {
      context.mutations.record(now, 'lovelace_delete', detail, (error as Error).message);
      throw error;
    }
    if (urlPath === null) context.house.deleteLovelace();
    else context.house.saveDashboardConfig(urlPath, null);
    context.mutations.record(now, 'lovelace_delete', detail);
    return null;
  },
  // The storage-mode dashboards (HA also lists YAML ones; the demo has none).
  'lovelace/dashboards/list': (context) => context.house.lovelaceDashboards(),
  // HA's DashboardsCollection: `url_path` and `title` required, the url path must contain a hyphen
  // and be no panel's already; the item's id is its url path.
  'lovelace/dashboards/create': (context, message) => {
    const now = context.now();
    const { id: _id, type: _type, ...data } = message;
    const detail = { transport: 'websocket', ...data };
    const refuse = (error: WebSocketCommandError) => {
      context.mutations.record(now, 'dashboard_create', detail, error.message);
      return error;
    };
    for (const key of ['url_path', 'title'] as const) {
      if (data[key] === undefined) throw refuse(invalid(`required key not provided @ data['${key}']`));
      if (typeof data[key] !== 'string') throw refuse(invalid(`expected str for dictionary value @ data['${key}']`));
    }
    for (const key of ['show_in_sidebar', 'require_admin'] as const) {
      if (data[key] !== undefined && typeof data[key] !== 'boolean') throw refuse(invalid(`expected boolean for dictionary value @ data['${key}']`));
    }
    if (data['icon'] !== undefined && (typeof data['icon'] !== 'string' || !/^[a-z0-9-]+:[a-z0-9-]+$/.test(data['icon']))) throw refuse(invalid(`Icons should be specified in the form "prefix:name" for dictionary value @ data['icon']`));
    const urlPath = data['url_path'] as string;
    if (!urlPath.includes('-')) throw refuse(invalid(`Url path needs to contain a hyphen (-). Got ${pythonRepr(data)}`));
    if (BUILT_IN_PANELS.has(urlPath) || context.house.lovelaceDashboard(urlPath)) throw refuse(invalid(`Panel url path needs to be unique. Got ${pythonRepr(data)}`));
    const item = {
      id: urlPath,
      url_path: urlPath,
      title: data['title'] as string,
      ...(data['icon'] === undefined ? {} : { icon: data['icon'] as string }),
      show_in_sidebar: (data['show_in_sidebar'] as boolean | undefined) ?? true,
      require_admin: (data['require_admin'] as boolean | undefined) ?? false,
      mode: 'storage' as const,
    };
    context.house.createLovelaceDashboard(item);
    context.mutations.record(now, 'dashboard_create', detail);
    return item;
  },
  'lovelace/dashboards/delete': (context, message) => {
    const now = context.now();
    const dashboardId = message['dashboard_id'];
    const detail = { transport: 'websocket', dashboard_id: dashboardId };
    if (typeof dashboardId !== 'string') {
      context.mutations.record(now, 'dashboard_delete', detail, 'required key not provided');
      throw invalid(`required key not provided @ data['dashboard_id']`);
    }
    if (!context.house.lovelaceDashboard(dashboardId)) {
      context.mutations.record(now, 'dashboard_delete', detail, `Unable to find dashboard_id ${dashboardId}`);
      throw new WebSocketCommandError('not_found', `Unable to find dashboard_id ${dashboardId}`);
    }
    context.house.deleteLovelaceDashboard(dashboardId);
    context.mutations.record(now, 'dashboard_delete', detail);
    return null;
  },
  ...Object.fromEntries(HELPER_DOMAINS.flatMap((domain) => Object.entries(helperCommands(domain)))),
  call_service: (context, message) => {
    const now = context.now();
    const domain = message['domain'];
    const service = message['service'];
    const serviceData = message['service_data'] ?? {};
    const target = message['target'] ?? {};
    const detail = { transport: 'websocket', domain, service, service_data: serviceData, target };
    if (typeof domain !== 'string' || typeof service !== 'string' || !isRecord(serviceData) || !isRecord(target)) {
      context.mutations.record(now, 'service_call', detail, 'Message incorrectly formatted.');
      throw invalid('Message incorrectly formatted.');
    }
    try {
      const result = context.house.callService(domain, service, { ...serviceData, ...target }, now, { returnResponse: message['return_response'] === true });
      context.mutations.record(now, 'service_call', { ...detail, context_id: result.context.id, changed_entity_ids: result.changed.map((s) => s.entity_id) });
      context.events.refresh();
      return message['return_response'] === true ? { context: result.context, response: result.response ?? {} } : { context: result.context };
    } catch (error) {
      context.mutations.record(now, 'service_call', detail, error instanceof Error ? error.message : String(error));
      if (error instanceof ServiceNotFoundError) throw new WebSocketCommandError('not_found', error.message);
      if (error instanceof ServiceDataError) throw invalid(error.message);
      if (error instanceof ServiceValidationError) throw new WebSocketCommandError('service_validation_error', error.message);
      throw new WebSocketCommandError('home_assistant_error', error instanceof Error ? error.message : String(error));
    }
  },
  fire_event: (context, message) => {
    const now = context.now();
    const eventType = message['event_type'];
    const data = message['event_data'] ?? {};
    const detail = { transport: 'websocket', event_type: eventType, event_data: data };
    if (typeof eventType !== 'string' || eventType === '' || !isRecord(data)) {
      context.mutations.record(now, 'event_fire', detail, 'Message incorrectly formatted.');
      throw invalid('Message incorrectly formatted.');
    }
    const eventContext = newContext(now);
    context.mutations.record(now, 'event_fire', { ...detail, context_id: eventContext.id });
    context.events.fire(eventType, data, eventContext);
    return { context: eventContext };
  },
  subscribe_events: (context, message, connection) => {
    const eventType = message['event_type'];
    if (eventType !== undefined && typeof eventType !== 'string') throw invalid("expected str for dictionary value @ data['event_type']");
    connection.addSubscription(
      connection.id,
      context.events.subscribe((event: HaBusEvent) => {
        if (eventType === undefined || eventType === '*' || event.event_type === eventType) connection.send({ id: connection.id, type: 'event', event });
      }),
    );
    return null;
  },
  subscribe_entities: (context, message, connection) => {
    const wanted = stringList(message, 'entity_ids');
    const filter = wanted ? new Set(wanted) : undefined;
    const id = connection.id;
    connection.addSubscription(
      id,
      context.events.subscribe((event: HaBusEvent) => {
        if (event.event_type !== 'state_changed') return;
        const { entity_id: entityId, old_state: before, new_state: after } = event.data as unknown as StateChangedData;
        if (filter && !filter.has(entityId)) return;
        let update: { a?: Record<string, CompressedState>; c?: Record<string, CompressedDiff>; r?: string[] };
        if (!after) update = { r: [entityId] };
        else if (!before) update = { a: { [entityId]: compressState(after) } };
        else update = { c: { [entityId]: diffStates(before, after) } };
        connection.send({ id, type: 'event', event: update });
      }),
    );
    // HA answers the subscription first, then sends every current state as one "add" event.
    queueMicrotask(() => {
      const initial: Record<string, CompressedState> = {};
      for (const state of context.house.states(context.now()) as HaEntityState[]) {
        if (!filter || filter.has(state.entity_id)) initial[state.entity_id] = compressState(state);
      }
      connection.send({ id, type: 'event', event: { a: initial } });
    });
    return null;
  },
  unsubscribe_events: (_context, message, connection) => {
    const subscription = message['subscription'];
    if (!Number.isInteger(subscription)) throw invalid("expected int for dictionary value @ data['subscription']");
    if (!connection.removeSubscription(subscription as number)) throw new WebSocketCommandError('not_found', 'Subscription not found.');
    return null;
  },
};

export interface WebSocketApi {
  close(): void;
}

/**
 * HA's WebSocket API on `/api/websocket` of the given HTTP server: `auth_required` → `auth` →
 * `auth_ok`/`auth_invalid`, then `{id, type}` commands answered with `{id, type: "result", success,
 * result|error}` (and `ping` → `pong`), with HA's error codes for malformed, reused and unknown ids;
 * subscriptions send `{id, type: "event", event}` until unsubscribed or the connection closes.
 */
export function attachWebSocketApi(server: Server, context: DemoApiContext): WebSocketApi {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://demo').pathname;
    if (path !== WEBSOCKET_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => serveConnection(ws, context));
  };
  server.on('upgrade', onUpgrade);

  return {
    close() {
      server.off('upgrade', onUpgrade);
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

function serveConnection(ws: WebSocket, context: DemoApiContext): void {
  let authenticated = false;
  let lastId = 0;
  const subscriptions = new Map<number, () => void>();
  const send = (message: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const authTimer = setTimeout(() => ws.close(), AUTH_TIMEOUT_MS);
  authTimer.unref();
  ws.on('close', () => {
    clearTimeout(authTimer);
    for (const unsubscribe of subscriptions.values()) unsubscribe();
    subscriptions.clear();
  });

  // The model's core config says which HA version this home is (clients gate features on it).
  const haVersion = String(context.house.coreConfig().version);
  send({ type: 'auth_required', ha_version: haVersion });

  ws.on('message', (data: RawData, isBinary: boolean) => {
    const message = isBinary ? undefined : parseJson(data.toString());
    if (!isRecord(message)) {
      // HA drops connections that send something other than a JSON object.
      ws.close();
      return;
    }
    if (!authenticated) {
      clearTimeout(authTimer);
      if (message['type'] !== 'auth' || typeof message['access_token'] !== 'string') {
        send({ type: 'auth_invalid', message: 'Auth message incorrectly formatted: expected {"type": "auth", "access_token": ...}' });
        ws.close();
        return;
      }
      if (!tokenMatches(message['access_token'], context.token)) {
        send({ type: 'auth_invalid', message: 'Invalid access token or password' });
        ws.close();
        return;
      }
      authenticated = true;
      send({ type: 'auth_ok', ha_version: haVersion });
      return;
    }

    const id = message['id'];
    const type = message['type'];
    if (!Number.isInteger(id) || typeof type !== 'string' || type === '') {
      send(errorMessage(Number.isInteger(id) ? id : 0, 'invalid_format', 'Message incorrectly formatted.'));
      return;
    }
    if ((id as number) <= lastId) {
      send(errorMessage(id, 'id_reuse', 'Identifier values have to increase.'));
      return;
    }
    lastId = id as number;

    if (type === 'ping') {
      send({ id, type: 'pong' });
      return;
    }
    const handler = COMMANDS[type];
    if (!handler) {
      send(errorMessage(id, 'unknown_command', 'Unknown command.'));
      return;
    }
    if (ADMIN_COMMANDS.has(type) && !context.admin) {
      send(errorMessage(id, 'unauthorized', 'Unauthorized'));
      return;
    }
    const connection: Connection = {
      id: id as number,
      send,
      addSubscription: (subscriptionId, unsubscribe) => subscriptions.set(subscriptionId, unsubscribe),
      removeSubscription: (subscriptionId) => {
        const unsubscribe = subscriptions.get(subscriptionId);
        if (!unsubscribe) return false;
        unsubscribe();
        subscriptions.delete(subscriptionId);
        return true;
      },
    };
    try {
      const result = handler(context, message, connection);
      send({ id, type: 'result', success: true, result });
    } catch (error) {
      if (error instanceof WebSocketCommandError) send(errorMessage(id, error.code, error.message));
      else send(errorMessage(id, 'unknown_error', error instanceof Error ? error.message : String(error)));
    }
  });
}

/** The dashboard a `lovelace/config*` command names: null for the default one; `config_not_found` for an unknown one. */
function dashboardPath(context: DemoApiContext, message: Record<string, unknown>): string | null {
  const urlPath = message['url_path'];
  if (urlPath === undefined || urlPath === null) return null;
  if (typeof urlPath !== 'string' || !context.house.lovelaceDashboard(urlPath)) throw new WebSocketCommandError('config_not_found', `Unknown config specified: ${String(urlPath)}`);
  return urlPath;
}

/** A flat dict as Python's repr prints it, as voluptuous' humanize_error quotes the offending data. */
function pythonRepr(data: Record<string, unknown>): string {
  const value = (v: unknown) => (typeof v === 'string' ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : typeof v === 'boolean' ? (v ? 'True' : 'False') : v === null ? 'None' : String(v));
  return `{${Object.entries(data).map(([k, v]) => `'${k}': ${value(v)}`).join(', ')}}`;
}

/**
 * HA's storage-collection commands for one helper domain (helpers/collection.py): `list`, and the
 * admin-only `create`, `update` (the whole config, by `<domain>_id`) and `delete`. Refused configs
 * answer `invalid_format` with HA's message, unknown ids `not_found`; every write is logged.
 */
function helperCommands(domain: HaHelperDomain): Record<string, CommandHandler> {
  const idKey = `${domain}_id`;
  const fields = (message: Record<string, unknown>, ...drop: string[]) => Object.fromEntries(Object.entries(message).filter(([key]) => !['id', 'type', ...drop].includes(key)));
  const written = <T>(context: DemoApiContext, kind: 'helper_create' | 'helper_update' | 'helper_delete', detail: Record<string, unknown>, write: () => T): T => {
    const now = context.now();
    try {
      const result = write();
      context.mutations.record(now, kind, detail);
      return result;
    } catch (error) {
      const refused = error instanceof HelperInvalidError ? invalid(error.message) : error;
      context.mutations.record(now, kind, detail, (refused as Error).message);
      throw refused;
    }
  };
  const idOf = (message: Record<string, unknown>) => {
    const id = message[idKey];
    if (typeof id !== 'string') throw invalid(`required key not provided @ data['${idKey}']`);
    return id;
  };
  const notFound = (id: string) => new WebSocketCommandError('not_found', `Unable to find ${idKey} ${id}`);
  return {
    [`${domain}/list`]: (context) => context.house.helperItems(domain, context.now()),
    [`${domain}/create`]: (context, message) =>
      written(context, 'helper_create', { transport: 'websocket', domain, config: fields(message) }, () => context.house.createHelper(domain, fields(message), context.now())),
    [`${domain}/update`]: (context, message) =>
      written(context, 'helper_update', { transport: 'websocket', domain, [idKey]: message[idKey], config: fields(message, idKey) }, () => {
        const id = idOf(message);
        const item = context.house.updateHelper(domain, id, fields(message, idKey), context.now());
        if (!item) throw notFound(id);
        return item;
      }),
    [`${domain}/delete`]: (context, message) =>
      written(context, 'helper_delete', { transport: 'websocket', domain, [idKey]: message[idKey] }, () => {
        const id = idOf(message);
        if (!context.house.deleteHelper(domain, id, context.now())) throw notFound(id);
        return null;
      }),
  };
}

function invalid(message: string): WebSocketCommandError {
  return new WebSocketCommandError('invalid_format', message);
}

/** A time parameter as HA's recorder/logbook commands read it (`invalid_start_time` / `invalid_end_time`). */
function timeParam(context: DemoApiContext, message: Record<string, unknown>, key: 'start_time' | 'end_time', required: boolean): number | undefined {
  const value = message[key];
  if (value === undefined || value === null) {
    if (required) throw invalid(`required key not provided @ data['${key}']`);
    return undefined;
  }
  const parsed = typeof value === 'string' ? parseHaDatetime(value, context.house.calendar) : null;
  if (parsed === null) throw new WebSocketCommandError(`invalid_${key}`, `Invalid ${key}`);
  return parsed;
}

function stringList(message: Record<string, unknown>, key: string): string[] | undefined {
  const value = message[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw invalid(`expected a list of strings @ data['${key}']`);
  return value as string[];
}

function errorMessage(id: unknown, code: string, message: string) {
  return { id, type: 'result', success: false, error: { code, message } };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
