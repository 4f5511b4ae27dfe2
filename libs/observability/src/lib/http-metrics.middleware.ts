import { Injectable, type NestMiddleware } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { MetricsRegistry } from './metrics.registry';
import { isProbePath } from './probe-paths';

/**
 * Records every HTTP request; the route template (not the raw path) keeps label cardinality low.
 * With tracing on it also names the request's server span by that template (`POST /v1/chat/completions`),
 * as OpenTelemetry's express instrumentation would, without patching express.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsRegistry) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const method = req.method;
    const started = process.hrtime.bigint();
    const serverSpan = trace.getActiveSpan();
    if (serverSpan?.isRecording()) {
      // Before the instrumentation's own 'finish' listener ends the span.
      res.prependOnceListener('finish', () => {
        const route = routeTemplate(req);
        serverSpan.setAttribute('http.route', route);
        serverSpan.updateName(`${method} ${route}`);
      });
    }
    const inProgress = !isProbePath(req.originalUrl);
    if (inProgress) this.metrics.httpInProgress.inc({ method });
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      if (inProgress) this.metrics.httpInProgress.dec({ method });
      const handler = routeTemplate(req);
      const labels = { method, handler, status: String(res.statusCode) };
      this.metrics.httpRequests.inc(labels);
      this.metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  }
}

function routeTemplate(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl ?? ''}${route.path}` || '/';
  return 'unmatched';
}
