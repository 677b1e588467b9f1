import { RequestMethod, type INestApplication } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import type { Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import type { Role } from '../../src/common/domain.js';
import { IS_PUBLIC, MIN_ROLE, PUBLIC_READ } from '../../src/common/public.decorator.js';

/** A route as Nest registered it, with the access metadata the guard reads. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  isPublic: boolean;
  publicRead: boolean;
  minRole: Role | undefined;
  /** Controller.method, for messages. */
  where: string;
}

function joinPath(...parts: string[]): string {
  return ('/' + parts.filter(Boolean).join('/')).replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
}

/**
 * Every route of every controller of the application, from Nest's own metadata: routes added
 * by anyone later are found without a list to maintain.
 */
export function routesOf(app: INestApplication): Route[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const routes: Route[] = [];
  for (const wrapper of discovery.getControllers()) {
    const ctrl = wrapper.metatype as (new (...a: unknown[]) => object) | undefined;
    if (!ctrl) continue;
    const base = [Reflect.getMetadata('path', ctrl) as string | string[]].flat();
    for (const name of scanner.getAllMethodNames(ctrl.prototype)) {
      const handler = (ctrl.prototype as Record<string, unknown>)[name] as () => unknown;
      const sub = Reflect.getMetadata('path', handler) as string | string[] | undefined;
      if (sub === undefined) continue;
      const method = RequestMethod[
        Reflect.getMetadata('method', handler) as number
      ] as Route['method'];
      const targets = [handler, ctrl];
      for (const b of base) {
        for (const s of [sub].flat()) {
          routes.push({
            method,
            path: joinPath(b, s),
            isPublic: reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) === true,
            publicRead:
              reflector.getAllAndOverride<boolean | undefined>(PUBLIC_READ, targets) === true,
            minRole: reflector.getAllAndOverride<Role | undefined>(MIN_ROLE, targets),
            where: `${ctrl.name}.${name}`,
          });
        }
      }
    }
  }
  return routes;
}

/** The route's path with every parameter set to `id`. */
export function urlOf(route: Route, id: string, query = ''): string {
  return route.path.replace(/:[A-Za-z_]+/g, id) + (query ? `?${query}` : '');
}

/** Sends the route's method to url, with an empty JSON body for writes. */
export function send(agent: TestAgent, method: Route['method'], url: string): Promise<Response> {
  switch (method) {
    case 'GET':
      return agent.get(url).then((r) => r);
    case 'DELETE':
      return agent.delete(url).then((r) => r);
    case 'POST':
      return agent
        .post(url)
        .send({})
        .then((r) => r);
    case 'PUT':
      return agent
        .put(url)
        .send({})
        .then((r) => r);
    case 'PATCH':
      return agent
        .patch(url)
        .send({})
        .then((r) => r);
  }
}
