import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import { ScaleError } from '../core/errors.js';
import { parseWith } from '../spec/validate.js';
import { requireToken } from './auth.js';
import { errorHandler, sendError } from './errors.js';
import { buildOpenApi } from './openapi.js';
import type { RouteDef } from './route.js';
import { loadTestRoutes } from './routes/load-test.js';
import { failureRoutes } from './routes/failures.js';
import { resultRoutes } from './routes/results.js';
import { scenarioRoutes } from './routes/scenarios.js';
import { simulateRoutes } from './routes/simulate.js';
import { compareRoutes } from './routes/compare.js';
import { tuningRoutes } from './routes/tuning.js';
import { alertRoutes } from './routes/alerts.js';
import { systemRoutes } from './routes/system.js';
import type { Services } from './services.js';

/** Every route of the engine; later issues add theirs here (simulate, tuning, scenarios, faults). */
export function allRoutes(s: Services): RouteDef[] {
  return [...systemRoutes(s), ...loadTestRoutes(s), ...resultRoutes(s), ...scenarioRoutes(s), ...failureRoutes(s), ...simulateRoutes(s), ...compareRoutes(s), ...tuningRoutes(s, s.tuner, s.runDeps), ...alertRoutes(s)];
}

/**
 * The express app: JSON body limit, auth per route, validation of params/query/body against the
 * route's zod schemas (every problem listed), one error envelope, the OpenAPI document and /docs.
 */
export function createApp(s: Services, routes: RouteDef[] = allRoutes(s)): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(express.json({ limit: s.config.MAX_BODY_BYTES, strict: true }));

  const pass: RequestHandler = (_req, _res, next) => next();
  const authFor = (kind: RouteDef['auth']): RequestHandler => {
    if (kind === 'engine' && s.config.ENGINE_TOKEN) return requireToken(s.config.ENGINE_TOKEN);
    if (kind === 'metrics' && s.config.METRICS_TOKEN) return requireToken(s.config.METRICS_TOKEN);
    return pass;
  };

  for (const r of routes) {
    app[r.method](r.path, authFor(r.auth), async (req, res) => {
      const params = r.params ? parseWith(r.params, { ...req.params }) : req.params;
      const query = r.query ? parseWith(r.query, { ...(req.query as object) }) : req.query;
      if (r.body && !req.is('application/json'))
        throw new ScaleError('invalid_input', 'send the body as JSON (Content-Type: application/json)', [{ path: '', message: 'expected a JSON body' }]);
      const body = r.parseBody ? r.parseBody(req.body) : r.body ? parseWith(r.body, req.body) : undefined;
      const out = await r.handler({ body, query, params, req, res });
      if (out !== undefined && !res.headersSent) res.status(r.status ?? 200).json(out);
    });
  }

  // The API description is public: it holds no data, and a browser cannot send a bearer token
  // when it opens /docs.
  const doc = buildOpenApi(routes, { version: s.version });
  app.get('/openapi.json', (_req, res) => void res.json(doc));
  mountDocs(app);

  app.use((req, res) => sendError(res, 404, 'not_found', `no route ${req.method} ${req.path}`));
  app.use(errorHandler((err) => s.log.error({ err }, 'unhandled error in a route')));
  return app;
}

/** Swagger UI from the swagger-ui-dist package (no CDN), pointed at ../openapi.json. */
function mountDocs(app: Express): void {
  const require = createRequire(import.meta.url);
  const dist = (require('swagger-ui-dist') as { getAbsoluteFSPath(): string }).getAbsoluteFSPath();
  const index = readFileSync(join(dist, 'index.html'), 'utf8');
  app.get('/docs', (req, res) => {
    if (!req.originalUrl.endsWith('/')) return void res.redirect(301, `${req.originalUrl.split('?')[0]}/`);
    res.type('html').send(index);
  });
  app.get('/docs/swagger-initializer.js', (_req, res) => {
    res.type('application/javascript').send(
      `window.onload = () => { window.ui = SwaggerUIBundle({ url: '../openapi.json', dom_id: '#swagger-ui', deepLinking: true, presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' }); };`,
    );
  });
  app.use('/docs', express.static(dist, { index: false }));
}
