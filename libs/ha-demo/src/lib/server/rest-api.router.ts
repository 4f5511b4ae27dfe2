import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { parseHistoryRequest, type HistoryQuery } from '../history/history-request';
import { ConfigMalformedError, type ConfigKind } from '../live/config-schemas';
import { checkStoredConfigs } from './check-config';
import { whenMs } from '../live/live-home';
import { newContext } from '../live/service-context';
import { ServiceDataError, ServiceNotFoundError, ServiceValidationError } from '../live/service-errors';
import { formatHaTimestamp, parseHaDatetime } from '../time/ha-datetime';
import { DAY_MS } from '../time/slot-time';
import type { DemoApiContext } from './demo-home-options';
import { renderTemplate, TemplateRenderError } from './template-renderer';
import { tokenMatches } from '@aether/core';

const CONFIG_KINDS: readonly ConfigKind[] = ['automation', 'script', 'scene'];
/** HA's `valid_entity_id`. */
const VALID_ENTITY_ID = /^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$/;

/**
 * HA's REST API (`/api/...`) over the live home: bearer-token auth and the answers, status codes
 * and bodies real HA gives (aiohttp's plain-text `401: Unauthorized` and `404: Not Found`, JSON
 * `{"message": …}` otherwise). Mutations are recorded in the mutation log, which
 * `GET /api/__demo/mutations` (demo only) returns.
 */
export function createRestApiRouter(context: DemoApiContext): Router {
  const router = Router();

  router.use((req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
    if (!tokenMatches(token, context.token)) {
      res.status(401).type('text/plain').send('401: Unauthorized');
      return;
    }
    next();
  });
  // Bodies are read as text and parsed per endpoint, because HA answers bad JSON differently per view.
  router.use(express.text({ type: () => true, limit: '8mb' }));

  // HA's `@require_admin` views raise `Unauthorized`, which its view wrapper turns into aiohttp's
  // plain-text 401.
  const requireAdmin = (_req: Request, res: Response, next: NextFunction) => {
    if (context.admin) return next();
    res.status(401).type('text/plain').send('401: Unauthorized');
  };

  router.get('/', (_req, res) => {
    res.json({ message: 'API running.' });
  });

  router.get('/config', (_req, res) => {
    res.json(context.house.coreConfig());
  });

  router.get('/states', (_req, res) => {
    res.json(context.house.states(context.now()));
  });

  router.get('/states/:entityId', (req, res) => {
    const state = context.house.state(String(req.params['entityId']).toLowerCase(), context.now());
    if (!state) {
      res.status(404).json({ message: 'Entity not found.' });
      return;
    }
    res.json(state);
  });

  router.post('/states/:entityId', requireAdmin, (req, res) => {
    const entityId = String(req.params['entityId']).toLowerCase();
    const now = context.now();
    const body = parseBody(req);
    const detail = { transport: 'rest', entity_id: entityId, body: body.ok ? body.value : req.body };
    const refuse = (message: string) => {
      context.mutations.record(now, 'state_write', detail, message);
      res.status(400).json({ message });
    };
    if (!body.ok) return refuse('Invalid JSON specified.');
    if (!VALID_ENTITY_ID.test(entityId)) return refuse('Invalid entity ID specified.');
    const value = body.value;
    if (!isRecord(value) || value['state'] === undefined) return refuse('No state specified.');
    if (value['attributes'] !== undefined && !isRecord(value['attributes'])) return refuse('State attributes need to be a dictionary.');
    const written = context.house.setState(entityId, String(value['state']), value['attributes'] as Record<string, unknown> | undefined, now);
    context.mutations.record(now, 'state_write', { ...detail, context_id: written.state.context?.id });
    context.events.refresh();
    res.status(written.created ? 201 : 200).location(`/api/states/${entityId}`).json(written.state);
  });

  router.get('/services', (_req, res) => {
    res.json(Object.entries(context.house.services(context.now())).map(([domain, services]) => ({ domain, services })));
  });

  router.post('/services/:domain/:service', (req, res) => {
    const domain = String(req.params['domain']);
    const service = String(req.params['service']);
    const returnResponse = 'return_response' in req.query;
    const body = parseBody(req);
    const detail: Record<string, unknown> = { transport: 'rest', domain, service, service_data: body.ok ? (body.value ?? {}) : req.body };
    if (!body.ok || (body.value !== undefined && !isRecord(body.value))) {
      context.mutations.record(context.now(), 'service_call', detail, 'Data should be valid JSON.');
      res.status(400).json({ message: 'Data should be valid JSON.' });
      return;
    }
    const now = context.now();
    try {
      const result = context.house.callService(domain, service, (body.value as Record<string, unknown> | undefined) ?? {}, now, { returnResponse });
      context.mutations.record(now, 'service_call', { ...detail, context_id: result.context.id, changed_entity_ids: result.changed.map((s) => s.entity_id) });
      context.events.refresh();
      res.json(returnResponse ? { changed_states: result.changed, service_response: result.response ?? {} } : result.changed);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      context.mutations.record(now, 'service_call', detail, message);
      // HA turns an unknown service or invalid service data (`ServiceNotFound`, `vol.Invalid`) into
      // aiohttp's bare `HTTPBadRequest`: a plain-text 400 without the reason.
      if (error instanceof ServiceNotFoundError || error instanceof ServiceDataError) {
        res.status(400).type('text/plain').send('400: Bad Request');
        return;
      }
      if (error instanceof ServiceValidationError) {
        res.status(400).json({ message: returnResponse && message.includes('return_response') ? 'Service does not support responses. Remove return_response from request.' : message });
        return;
      }
      throw error;
    }
  });

  router.get('/events', (_req, res) => {
    res.json([{ event: 'state_changed', listener_count: 1 }]);
  });

  router.post('/events/:eventType', requireAdmin, (req, res) => {
    const eventType = String(req.params['eventType']);
    const body = parseBody(req);
    if (!body.ok || (body.value !== undefined && !isRecord(body.value))) {
      context.mutations.record(context.now(), 'event_fire', { transport: 'rest', event_type: eventType }, 'Event data should be a JSON object');
      res.status(400).json({ message: 'Event data should be a JSON object' });
      return;
    }
    const eventContext = newContext(context.now());
    context.mutations.record(context.now(), 'event_fire', { transport: 'rest', event_type: eventType, event_data: body.value ?? {}, context_id: eventContext.id });
    context.events.fire(eventType, (body.value as Record<string, unknown>) ?? {}, eventContext);
    res.json({ message: `Event ${eventType} fired.` });
  });

  router.get('/history/period{/:timestamp}', (req, res) => {
    const now = context.now();
    const parsed = parseHistoryRequest(req.params['timestamp'], singleValued(req.query), context.house.calendar, now);
    switch (parsed.kind) {
      case 'invalid':
        res.status(400).json({ message: parsed.message });
        return;
      case 'empty':
        res.json([]);
        return;
      case 'request':
        res.json(context.house.history(parsed.request, now));
    }
  });

  router.get('/logbook{/:timestamp}', (req, res) => {
    const now = context.now();
    const query = singleValued(req.query);
    let startMs = startOfLocalDay(context, now);
    const timestamp = req.params['timestamp'];
    if (timestamp) {
      const parsed = parseHaDatetime(timestamp, context.house.calendar);
      if (parsed === null) {
        res.status(400).json({ message: 'Invalid datetime' });
        return;
      }
      startMs = parsed;
    }
    const periodDays = Number(query['period'] ?? 1);
    let endMs = startMs + (Number.isFinite(periodDays) && periodDays > 0 ? periodDays : 1) * DAY_MS;
    if (query['end_time']) {
      const parsed = parseHaDatetime(query['end_time'], context.house.calendar);
      if (parsed === null) {
        res.status(400).json({ message: 'Invalid end_time' });
        return;
      }
      endMs = parsed;
    }
    const entityIds = query['entity'] ? query['entity'].toLowerCase().split(',').map((id) => id.trim()).filter(Boolean) : undefined;
    if (startMs > now) {
      res.json([]);
      return;
    }
    const entries = context.house.logbook({ startMs, endMs: Math.min(endMs, now + 1), entityIds }, now);
    res.json(entries.map((entry) => ({ ...entry, when: formatHaTimestamp(whenMs(entry.when)) })));
  });

  // HA OS / Supervised installs log to the journal: HA registers no error log view there.
  if (context.installationType === 'core') {
    router.get('/error_log', requireAdmin, (_req, res) => {
      res.type('text/plain').send(context.house.errorLog(context.now()));
    });
  }

  router.post('/template', requireAdmin, (req, res) => {
    const body = parseBody(req);
    if (!body.ok || !isRecord(body.value) || typeof body.value['template'] !== 'string') {
      res.status(400).json({ message: body.ok ? "Error rendering template: required key not provided @ data['template']" : 'Error rendering template: Invalid JSON specified' });
      return;
    }
    const variables = isRecord(body.value['variables']) ? body.value['variables'] : {};
    try {
      res.type('text/plain').send(renderTemplate(body.value['template'], context.house, context.now(), variables));
    } catch (error) {
      if (error instanceof TemplateRenderError) {
        res.status(400).json({ message: `Error rendering template: ${error.message}` });
        return;
      }
      throw error;
    }
  });

  router.post('/config/core/check_config', requireAdmin, (_req, res) => {
    res.json(checkStoredConfigs(context.house));
  });

  router.get('/config/config_entries/entry', (_req, res) => {
    res.json(context.house.configEntries());
  });

  router.get('/config/:kind/config/:id', requireAdmin, (req, res, next) => {
    const kind = configKind(req);
    if (!kind) return next();
    const config = context.house.readConfig(kind, String(req.params['id']));
    if (!config) {
      res.status(404).json({ message: 'Resource not found' });
      return;
    }
    res.json(config);
  });

  router.post('/config/:kind/config/:id', requireAdmin, (req, res, next) => {
    const kind = configKind(req);
    if (!kind) return next();
    const id = String(req.params['id']);
    const now = context.now();
    const body = parseBody(req);
    const detail = { transport: 'rest', config_kind: kind, id, config: body.ok ? body.value : req.body };
    const refuse = (message: string) => {
      context.mutations.record(now, 'config_write', detail, message);
      res.status(400).json({ message });
    };
    if (!body.ok) return refuse('Invalid JSON specified');
    let storedId: string;
    try {
      storedId = context.house.storeConfig(kind, id, body.value);
    } catch (error) {
      if (error instanceof ConfigMalformedError) return refuse(error.message);
      throw error;
    }
    context.mutations.record(now, 'config_write', detail);
    // The URL's id too: when the body renamed the config, the old id's entity goes.
    context.reloads.schedule(kind, [id, storedId], id);
    res.json({ result: 'ok' });
  });

  router.delete('/config/:kind/config/:id', requireAdmin, (req, res, next) => {
    const kind = configKind(req);
    if (!kind) return next();
    const id = String(req.params['id']);
    const now = context.now();
    const detail = { transport: 'rest', config_kind: kind, id };
    if (!context.house.deleteConfig(kind, id)) {
      context.mutations.record(now, 'config_delete', detail, 'Resource not found');
      res.status(400).json({ message: 'Resource not found' });
      return;
    }
    context.mutations.record(now, 'config_delete', detail);
    context.reloads.schedule(kind, [id]);
    res.json({ result: 'ok' });
  });

  // The demo's own: every mutation made through the API (not part of HA).
  router.get('/__demo/mutations', (_req, res) => {
    res.json(context.mutations.list());
  });

  router.use((_req: Request, res: Response) => {
    res.status(404).type('text/plain').send('404: Not Found');
  });

  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: number }).status;
    if (status === 413) {
      res.status(413).type('text/plain').send('413: Request Entity Too Large');
      return;
    }
    res.status(500).type('text/plain').send('500 Internal Server Error\n\nServer got itself in trouble');
  });

  return router;
}

function configKind(req: Request): ConfigKind | undefined {
  const kind = String(req.params['kind']);
  return (CONFIG_KINDS as readonly string[]).includes(kind) ? (kind as ConfigKind) : undefined;
}

function parseBody(req: Request): { ok: true; value: unknown } | { ok: false } {
  const text = typeof req.body === 'string' ? req.body : '';
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Local midnight today (HA's logbook default start). */
function startOfLocalDay(context: DemoApiContext, nowMs: number): number {
  const offsetMs = context.house.calendar.offsetMinutes(nowMs) * 60_000;
  const wallMidnight = Math.floor((nowMs + offsetMs) / DAY_MS) * DAY_MS;
  return context.house.calendar.wallTimeToEpochMs(wallMidnight);
}

/** Query parameters as HA reads them: the first value of each, present-but-empty flags as ''. */
function singleValued(query: Request['query']): HistoryQuery {
  const result: HistoryQuery = {};
  for (const [key, value] of Object.entries(query)) {
    const first = Array.isArray(value) ? value[0] : value;
    result[key] = typeof first === 'string' ? first : '';
  }
  return result;
}
