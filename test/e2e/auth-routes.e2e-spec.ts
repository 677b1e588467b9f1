import fs from 'node:fs';
import path from 'node:path';
import { Controller, Get, Module } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import request, { type Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createApp } from '../../src/app.factory.js';
import { ROLES, type Role } from '../../src/common/domain.js';
import { projectRoot } from '../../src/common/project-root.js';
import { createTestApp, testConfig, type TestApp } from '../setup/app.js';
import { routesOf, send, urlOf, type Route } from '../setup/routes.js';

/**
 * Walks every route the application registers (found from Nest's own controller metadata, so
 * routes added later are walked too) for no token and for each role, and checks the access rule
 * the route declares is the one enforced.
 */

const ANY_ID = '00000000-0000-4000-8000-000000000000';
const RANK: Record<Role, number> = { viewer: 1, researcher: 2, reviewer: 3, admin: 4 };

const call = (agent: TestAgent, route: Route): Promise<Response> =>
  send(agent, route.method, urlOf(route, ANY_ID));

describe('every route is guarded or explicitly public', () => {
  let t: TestApp;
  let routes: Route[];
  beforeAll(async () => {
    t = await createTestApp();
    routes = routesOf(t.app);
  });
  afterAll(() => t.close());

  it('finds the routes, the OpenAPI document’s included', () => {
    expect(routes.length).toBeGreaterThan(20);
    const doc = SwaggerModule.createDocument(t.app, new DocumentBuilder().build());
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops as object)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const found = new Set(routes.map((r) => `${r.method} ${r.path}`));
    expect(documented.filter((d) => !found.has(d))).toEqual([]);
    for (const r of [
      'GET /health',
      'POST /api/users',
      'GET /api/audit',
      'POST /api/victims/:id/status',
      'GET /api/sources/:id/history',
    ]) {
      expect(found).toContain(r);
    }
  });

  it('docs/access.md lists every route with the role it needs, as the code declares', () => {
    const text = fs.readFileSync(path.join(projectRoot(), 'docs', 'access.md'), 'utf8');
    const section = text.split('\n## Routes\n')[1]?.split('\n## ')[0] ?? '';
    const documented = section
      .split('\n')
      .filter((l) => /^\| `(GET|POST|PUT|PATCH|DELETE) /.test(l))
      .map((l) =>
        l
          .split('|')
          .slice(1, 3)
          .map((c) => c.trim())
          .join(' | '),
      );
    const declared = routes
      .map(
        (r) =>
          `\`${r.method} ${r.path}\` | ${r.isPublic ? 'anyone' : r.minRole}${r.publicRead ? ' (public read)' : ''}`,
      )
      .sort((a, b) => a.localeCompare(b));
    expect(documented).toEqual(declared);
  });

  it('every route declares @Public() or a valid @MinRole(), and @PublicRead() only on GET routes with a role', () => {
    const undeclared = routes
      .filter((r) => !r.isPublic && !r.minRole)
      .map((r) => `${r.method} ${r.path} (${r.where})`);
    expect(undeclared).toEqual([]);
    const badRole = routes.filter(
      (r) => r.minRole && !(ROLES as readonly string[]).includes(r.minRole),
    );
    expect(badRole).toEqual([]);
    const badPublicRead = routes.filter((r) => r.publicRead && (r.method !== 'GET' || !r.minRole));
    expect(badPublicRead.map((r) => `${r.method} ${r.path}`)).toEqual([]);
    // Only health and the sign-in are open to all; every other open door is a conscious @PublicRead.
    expect(
      routes
        .filter((r) => r.isPublic)
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual(['GET /health', 'POST /api/auth/login']);
  });

  it('answers each role as the route declares: allowed ones never 401/403, the others 403', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => !r.isPublic)) {
      for (const role of ROLES) {
        const res = await call(t.as(role), route);
        const allowed = RANK[role] >= RANK[route.minRole!];
        if (allowed && (res.status === 401 || res.status === 403))
          wrong.push(`${role} ${route.method} ${route.path}: ${res.status} ${res.body?.message}`);
        if (!allowed && res.status !== 403)
          wrong.push(`${role} ${route.method} ${route.path}: expected 403, got ${res.status}`);
        if (res.status >= 500) wrong.push(`${role} ${route.method} ${route.path}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 180_000);

  it('answers no token with 401 on every route but the public ones', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const res = await call(t.anon(), route);
      if (route.isPublic ? res.status === 401 || res.status === 403 : res.status !== 401) {
        wrong.push(`${route.method} ${route.path}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 180_000);

  it('with PUBLIC_READ on, serves the @PublicRead GET routes without a token, and nothing else', async () => {
    const pub = await createApp(testConfig({ publicRead: true }));
    await pub.init();
    try {
      const wrong: string[] = [];
      for (const route of routes) {
        const res = await call(request.agent(pub.getHttpServer()), route);
        const open = route.isPublic || route.publicRead;
        if (
          open ? res.status === 401 || res.status === 403 || res.status >= 500 : res.status !== 401
        ) {
          wrong.push(`${route.method} ${route.path}: ${res.status}`);
        }
      }
      expect(wrong).toEqual([]);
    } finally {
      await pub.close();
    }
  }, 180_000);

  it('closes a route that declares no rule, even to an admin', async () => {
    @Controller('test-undeclared')
    class UndeclaredController {
      @Get()
      open(): object {
        return { leaked: true };
      }
    }
    @Module({ controllers: [UndeclaredController] })
    class UndeclaredModule {}

    const app = await createApp(testConfig(), [UndeclaredModule]);
    await app.init();
    try {
      const res = await request(app.getHttpServer())
        .get('/test-undeclared')
        .set('Authorization', `Bearer ${t.users.admin.token}`)
        .expect(403);
      expect(res.body).toMatchObject({
        code: 'forbidden',
        message: expect.stringContaining('no access rule'),
      });
      expect(
        routesOf(app)
          .filter((r) => !r.isPublic && !r.minRole)
          .map((r) => r.path),
      ).toEqual(['/test-undeclared']);
    } finally {
      await app.close();
    }
  });
});
