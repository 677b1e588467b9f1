import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import helmet from 'helmet';
import { AppModule } from './app.module.js';
import {
  exceedsJsonDepth,
  findBadHeader,
  findBadInput,
  findBadQuery,
  MAX_JSON_DEPTH,
} from './common/input-guard.js';
import type { FieldProblem } from './common/errors.js';
import { sendJson } from './common/json-response.js';
import type { RuntimeConfig } from './config/configuration.js';

export const IMPORT_PATH = '/api/imports';

/** What a JSON route reads (+json: application/merge-patch+json and kin), and an import. */
const JSON_TYPES = ['application/json', '+json'];
const IMPORT_TYPES = ['text/csv', 'text/plain', 'application/json'];

/** Builds the configured application: used by main.ts, the tests and the benchmark alike. */
export async function createApp(
  config: RuntimeConfig,
  extra: Type[] = [],
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, extra), {
    bodyParser: false,
    logger:
      config.logLevel === 'debug' ? ['error', 'warn', 'log', 'debug'] : levels(config.logLevel),
  });
  app.set('query parser', 'extended');
  // Nothing here answers conditional requests: no ETag, so no hash of every answer's bytes.
  app.set('etag', false);
  // Large answers (a whole country's reconciliation) are written as they are serialised.
  const server: express.Express = app.getHttpAdapter().getInstance();
  server.response.json = function json(this: express.Response, body: unknown) {
    return sendJson(this, body);
  };
  app.use(helmet({ contentSecurityPolicy: false }));
  app.enableCors({ origin: config.corsOrigins.length ? config.corsOrigins : false });

  // Input no route should see (NUL, reserved keys, bodies that are not JSON), refused for every
  // route before routing, auth or parsing (src/common/input-guard.ts).
  app.use(guardRequest);

  // Imports take large bodies (CSV or JSON), streamed into the import as they arrive
  // (ImportsService), never read whole; every other route takes a small JSON body.
  const smallJson = express.json({
    limit: config.bodyLimit,
    type: JSON_TYPES,
    verify: refuseDeepJson,
  });
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (req.path.startsWith(IMPORT_PATH)) return next();
    // Parser errors happen before Nest's filters see the request: answer them here, in the
    // same shape as every other error.
    return smallJson(req, res, (err?: unknown) => {
      if (err) return bodyError(err, res);
      const bad = findBadInput(req.body);
      return bad ? refuse(res, 400, bad) : next();
    });
  });

  serveWeb(server);

  const doc = new DocumentBuilder()
    .setTitle('casualty-ledger')
    .setDescription(
      'Sourced, graded documentation of people killed, injured, detained or disappeared. ' +
        'Every record and every number traces back to the documents that attest it. ' +
        'Errors: every 4xx body is `{ statusCode, error, message, code, errors: [{ field, reason }] }`.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc), {
    jsonDocumentUrl: 'api/docs-json',
  });
  return app;
}

/** The built web interface (web/dist), from src/ under Jest or dist/src/ when compiled. */
export function webRoot(): string | null {
  for (const dir of [
    join(__dirname, '..', 'web', 'dist'),
    join(__dirname, '..', '..', 'web', 'dist'),
  ]) {
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return null;
}

const API_PREFIXES = ['/api/', '/api', '/health'];
const isApiPath = (path: string): boolean =>
  API_PREFIXES.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));

/**
 * The web interface at `/`: index.html there, and the built files (web/dist/assets/…) where they
 * exist. The interface routes in the browser (`/#/search`), so no other path needs index.html,
 * and every other path (`/api…`, `/health`, a route added later) stays Nest's, which answers an
 * unknown one with the JSON 404.
 */
function serveWeb(server: express.Express): void {
  const root = webRoot();
  if (!root) {
    server.get('/', (_req: express.Request, res: express.Response) => {
      res
        .status(503)
        .type('text/plain')
        .send('The web interface is not built: run `npm run build` (it builds web/ too).');
    });
    return;
  }
  const files = express.static(root, { index: false, fallthrough: true, maxAge: '1h' });
  const index = join(root, 'index.html');
  server.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (isApiPath(req.path) || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    if (req.path === '/' || req.path === '/index.html') {
      res.setHeader('Cache-Control', 'no-cache');
      return res.sendFile(index);
    }
    return files(req, res, next);
  });
}

function levels(level: RuntimeConfig['logLevel']): ('error' | 'warn' | 'log')[] {
  if (level === 'error') return ['error'];
  if (level === 'warn') return ['error', 'warn'];
  return ['error', 'warn', 'log'];
}

/** Whether a request carries a body (RFC 9112: a length above 0, or a chunked transfer). */
function hasBody(req: express.Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The first gate of every request: NUL in a header or the query string, a reserved name in the
 * query string, and a body whose Content-Type this route does not read (415: parsed as
 * nothing, it once reached the route as an empty body).
 */
function guardRequest(req: express.Request, res: express.Response, next: express.NextFunction) {
  const header = findBadHeader(req.headers);
  if (header) return refuse(res, 400, header);
  const q = req.originalUrl.indexOf('?');
  const query = q < 0 ? null : findBadQuery(req.originalUrl.slice(q + 1));
  if (query) return refuse(res, 400, query);
  if (hasBody(req)) {
    const importing = req.path.startsWith(IMPORT_PATH);
    const accepted = importing ? IMPORT_TYPES : JSON_TYPES;
    if (!req.is(accepted)) {
      const type = req.headers['content-type'];
      return refuse(res, 415, {
        field: 'Content-Type',
        reason: `must be ${importing ? 'text/csv or application/json' : 'application/json'}, not ${type ? `"${type}"` : 'missing'}`,
      });
    }
  }
  return next();
}

/** body-parser's verify hook: runs on the raw bytes, before JSON.parse or anything recursive. */
function refuseDeepJson(_req: unknown, _res: unknown, buf: Buffer): void {
  if (exceedsJsonDepth(buf)) {
    throw Object.assign(new Error(`The body nests more than ${MAX_JSON_DEPTH} levels deep`), {
      status: 400,
      type: 'entity.too.deep',
    });
  }
}

function refuse(res: express.Response, status: 400 | 415, problem: FieldProblem): void {
  res.status(status).json({
    statusCode: status,
    error: status === 415 ? 'Unsupported Media Type' : 'Bad Request',
    message: `${problem.field}: ${problem.reason}`,
    code: status === 415 ? 'unsupported_media_type' : 'validation',
    errors: [problem],
  });
}

function bodyError(err: unknown, res: express.Response): void {
  const e = err as { type?: string; status?: number; message?: string };
  const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 400;
  const [message, reason, code] =
    e.type === 'entity.parse.failed'
      ? [`The body is not valid JSON: ${e.message}`, 'malformed JSON', 'validation']
      : e.type === 'entity.too.deep'
        ? [
            e.message ?? 'The body nests too deep',
            `nested more than ${MAX_JSON_DEPTH} levels deep`,
            'validation',
          ]
        : e.type === 'entity.too.large'
          ? ['The body is larger than this endpoint accepts', 'too large', 'payload_too_large']
          : e.type === 'encoding.unsupported' || e.type === 'charset.unsupported'
            ? [e.message ?? 'Unsupported encoding', 'unsupported encoding', 'validation']
            : [e.message ?? 'The body could not be read', 'unreadable body', 'validation'];
  res.status(status).json({
    statusCode: status,
    error:
      status === 413
        ? 'Payload Too Large'
        : status === 415
          ? 'Unsupported Media Type'
          : 'Bad Request',
    message,
    code,
    errors: [{ field: 'body', reason }],
  });
}
