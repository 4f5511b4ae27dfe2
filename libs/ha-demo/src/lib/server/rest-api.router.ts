import { Router, type NextFunction, type Request, type Response } from 'express';
import { buildHistory } from '../history/history-series';
import { parseHistoryRequest, type HistoryQuery } from '../history/history-request';
import type { DemoApiContext } from './demo-home-options';
import { tokenMatches } from './token-match';

/**
 * HA's REST API (`/api/...`) over the demo house: bearer-token auth and the answers, status codes
 * and bodies real HA gives (aiohttp's plain-text `401: Unauthorized` and `404: Not Found`).
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
    const entity = context.house.entity(String(req.params['entityId']).toLowerCase());
    if (!entity) {
      res.status(404).json({ message: 'Entity not found.' });
      return;
    }
    res.json(context.house.stateOf(entity, context.now()));
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
        res.json(buildHistory(context.house, parsed.request, now));
    }
  });

  router.use((_req: Request, res: Response) => {
    res.status(404).type('text/plain').send('404: Not Found');
  });

  router.use((_error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).type('text/plain').send('500 Internal Server Error\n\nServer got itself in trouble');
  });

  return router;
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
