import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import helmet from 'helmet';
import { AppModule } from './app.module.js';
import { sendJson } from './common/json-response.js';
import type { RuntimeConfig } from './config/configuration.js';

export const IMPORT_PATH = '/api/imports';

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

  // Imports take large bodies (CSV or JSON), streamed into the import as they arrive
  // (ImportsService), never read whole; every other route takes a small JSON body.
  const smallJson = express.json({ limit: config.bodyLimit });
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (req.path.startsWith(IMPORT_PATH)) return next();
    // Parser errors happen before Nest's filters see the request: answer them here, in the
    // same shape as every other error.
    return smallJson(req, res, (err?: unknown) => (err ? bodyError(err, res) : next()));
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

function bodyError(err: unknown, res: express.Response): void {
  const e = err as { type?: string; status?: number; message?: string };
  const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 400;
  const [message, reason, code] =
    e.type === 'entity.parse.failed'
      ? [`The body is not valid JSON: ${e.message}`, 'malformed JSON', 'validation']
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
