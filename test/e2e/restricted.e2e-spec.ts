import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
  type ParameterObject,
} from '@nestjs/swagger';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { SEED } from '../../seed/seed.js';
import { createApp } from '../../src/app.factory.js';
import { registerExportCommands } from '../../src/cli/commands/exports.js';
import { EXPORT_KINDS } from '../../src/exports/exporters.js';
import { refreshConfidence } from '../../src/attestations/confidence.repository.js';
import { createSource } from '../factories/index.js';
import {
  insertAttestation,
  insertClaim,
  insertIncident,
  insertVictim,
} from '../factories/workflow.js';
import { createTestApp, testConfig, type TestApp } from '../setup/app.js';
import { routesOf, urlOf, type Route } from '../setup/routes.js';

/**
 * Sentinel test: a unique string is planted in every restricted field, in a restricted source
 * (and what cites it) and in records that are not verified; then every GET route, with every
 * planted id and a spread of query strings, is read as a viewer and as the public, and no answer
 * may contain the sentinel. Nor may error messages or anything the service logs.
 */

const SENTINEL = `SENTINEL${randomUUID().replace(/-/g, '')}`;
const plant = (where: string): string => `${SENTINEL}-${where}`;

interface Planted {
  ids: string[];
  /** Ids no viewer or public answer may hold (but one that echoes the id it was asked for). */
  hidden: string[];
  hiddenIncidents: string[];
  control: string;
  sourceIds: { restricted: string; open: string };
  verifiedVictim: string;
  incident: string;
}

async function plantEverything(t: TestApp): Promise<Planted> {
  const ds = t.ds;
  const restricted = await createSource(ds, {
    title: plant('restricted-title'),
    publisher: plant('restricted-publisher'),
    author: plant('restricted-author'),
    url: `https://example.org/${plant('restricted-url')}`,
    interestNote: plant('restricted-interest'),
    internalNotes: plant('restricted-source-notes'),
    restricted: true,
    reliability: 'A',
  });
  const open = await createSource(ds, {
    title: 'An open report',
    internalNotes: plant('open-source-notes'),
    reliability: 'B',
  });

  const incident = await insertIncident(ds, {
    status: 'verified',
    internalNotes: plant('incident-notes'),
    locationId: SEED.iran,
    dateFrom: '2019-11-16',
    dateTo: '2019-11-16',
    datePrecision: 'day',
  });
  await insertAttestation(ds, { incidentId: incident.id }, { sourceId: open.id });
  await insertAttestation(
    ds,
    { incidentId: incident.id },
    {
      sourceId: restricted.id,
      excerpt: plant('incident-att-excerpt'),
      locator: plant('incident-att-locator'),
    },
  );
  const draftIncident = await insertIncident(ds, {
    status: 'submitted',
    title: plant('unverified-incident-title'),
  });

  const victim = await insertVictim(ds, {
    status: 'verified',
    incidentId: incident.id,
    witnessNames: plant('witness'),
    familyContact: plant('family'),
    internalNotes: plant('victim-notes'),
  });
  const openAtt = await insertAttestation(
    ds,
    { victimId: victim.id },
    { sourceId: open.id, credibility: 2 },
  );
  const secretAtt = await insertAttestation(
    ds,
    { victimId: victim.id },
    {
      sourceId: restricted.id,
      excerpt: plant('victim-att-excerpt'),
      locator: plant('victim-att-locator'),
      credibility: 1,
    },
  );
  // Seen by a reader of open sources only, the victim rests on the open attestation alone (B/2):
  // as the control victim, attested by that alone, does.
  const control = await insertVictim(ds, { status: 'verified' });
  await insertAttestation(ds, { victimId: control.id }, { sourceId: open.id, credibility: 2 });
  await refreshConfidence(ds.manager, [victim.id, control.id]);
  // Known only from the confidential source: a victim and an incident that are not public.
  const onlyRestricted = await insertVictim(ds, {
    status: 'verified',
    placeOriginal: 'Mahshahr',
    nameEn: plant('only-restricted-victim-name'),
    occupation: plant('only-restricted-victim-occupation'),
  });
  await insertAttestation(
    ds,
    { victimId: onlyRestricted.id },
    { sourceId: restricted.id, excerpt: plant('only-restricted-excerpt') },
  );
  const secretIncident = await insertIncident(ds, {
    status: 'verified',
    title: plant('only-restricted-incident-title'),
    description: plant('only-restricted-incident-description'),
    locationId: SEED.iran,
    dateFrom: '2019-11-17',
    dateTo: '2019-11-17',
    datePrecision: 'day',
  });
  await insertAttestation(ds, { incidentId: secretIncident.id }, { sourceId: restricted.id });
  // Public victims tied to the incidents a viewer may not see: a grouping by incident must not
  // name them (nor their titles).
  for (const incidentId of [secretIncident.id, draftIncident.id]) {
    const tied = await insertVictim(ds, { status: 'verified', incidentId });
    await insertAttestation(ds, { victimId: tied.id }, { sourceId: open.id });
    await insertClaim(ds, { status: 'verified', sourceId: open.id, incidentId, low: 5 });
  }
  // A public source that relays and cites the confidential one: its links never name it.
  const relay = await createSource(ds, { title: 'A public relay', reliability: 'C' });
  await ds.query(
    `INSERT INTO source_links (source_id, target_id, relation) VALUES ($1, $2, 'relays'), ($1, $3, 'cites'), ($1, $2, 'cites')`,
    [relay.id, restricted.id, open.id],
  );
  const unverified = [];
  for (const status of ['draft', 'submitted', 'disputed', 'retracted']) {
    const v = await insertVictim(ds, {
      status,
      nameEn: plant(`${status}-victim-name`),
      occupation: plant(`${status}-occupation`),
    });
    await insertAttestation(
      ds,
      { victimId: v.id },
      { sourceId: open.id, excerpt: plant(`${status}-victim-excerpt`) },
    );
    unverified.push(v.id);
  }

  const scope = {
    locationId: SEED.iran,
    dateFrom: '2019-11-16',
    dateTo: '2019-11-19',
    incidentId: incident.id,
  };
  const openClaim = await insertClaim(ds, {
    ...scope,
    status: 'verified',
    sourceId: open.id,
    internalNotes: plant('claim-notes'),
  });
  const restrictedClaim = await insertClaim(ds, {
    ...scope,
    status: 'verified',
    sourceId: restricted.id,
    low: 999,
    excerpt: plant('claim-excerpt'),
    populationNote: plant('claim-population'),
    locator: plant('claim-locator'),
  });
  const attributedClaim = await insertClaim(ds, {
    ...scope,
    status: 'verified',
    sourceId: open.id,
    attributedSourceId: restricted.id,
    low: 777,
    excerpt: plant('attributed-excerpt'),
  });
  const draftClaim = await insertClaim(ds, {
    ...scope,
    status: 'submitted',
    sourceId: open.id,
    excerpt: plant('unverified-claim-excerpt'),
  });

  return {
    ids: [
      restricted.id,
      open.id,
      incident.id,
      draftIncident.id,
      secretIncident.id,
      relay.id,
      victim.id,
      control.id,
      onlyRestricted.id,
      ...unverified,
      openAtt.id,
      secretAtt.id,
      openClaim.id,
      restrictedClaim.id,
      attributedClaim.id,
      draftClaim.id,
      SEED.iran,
    ],
    hidden: [restricted.id, onlyRestricted.id, secretIncident.id, draftIncident.id],
    hiddenIncidents: [secretIncident.id, draftIncident.id],
    control: control.id,
    sourceIds: { restricted: restricted.id, open: open.id },
    verifiedVictim: victim.id,
    incident: incident.id,
  };
}

const ALL_STATUSES = 'status=draft,submitted,verified,disputed,retracted';
const GROUPINGS = [
  'province',
  'city',
  'day',
  'week',
  'gender',
  'ageBand',
  'perpetrator',
  'cause',
  'incident',
  'source',
];

/**
 * Query strings for a list route, from the parameters its OpenAPI entry documents: every
 * status, and each id filter set to a planted record (the restricted source above all).
 */
function queriesFor(route: Route, doc: OpenAPIObject, p: Planted): string[] {
  const op = doc.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.get;
  const names = new Set(
    ((op?.parameters ?? []) as ParameterObject[])
      .filter((x) => x.in === 'query')
      .map((x) => x.name),
  );
  const status = names.has('status') ? ALL_STATUSES : '';
  const and = (...parts: string[]): string => parts.filter(Boolean).join('&');
  const out = new Set(['', and(status, names.has('limit') ? 'limit=200' : '')]);
  const ids: Record<string, string[]> = {
    source: [p.sourceIds.restricted, p.sourceIds.open],
    incident: [p.incident, ...p.hiddenIncidents],
    victim: [p.verifiedVictim],
    subject: [p.verifiedVictim, p.incident],
    location: [SEED.iran],
  };
  for (const name of names) {
    const key = Object.keys(ids).find((k) => name.toLowerCase().startsWith(k));
    for (const id of key ? ids[key] : []) out.add(and(`${name}=${id}`, status));
  }
  if (names.has('category')) out.add(and('category=killed', status));
  if (names.has('groupBy'))
    for (const g of GROUPINGS) out.add(and('category=killed', `groupBy=${g}`, status));
  if (names.has('q')) out.add('q=a');
  if (names.has('format'))
    for (const f of ['csv', 'json', 'geojson']) out.add(and(`format=${f}`, status));
  if (names.has('public')) out.add(and('public=false', status));
  return [...out];
}

/** Every answer a reader can get from the GET routes: lists with each query, records with each id. */
async function readEverything(
  agent: () => TestAgent,
  routes: Route[],
  doc: OpenAPIObject,
  p: Planted,
): Promise<{ url: string; status: number; text: string }[]> {
  const seen: { url: string; status: number; text: string }[] = [];
  for (const route of routes.filter((r) => r.method === 'GET')) {
    const urls = route.path.includes(':')
      ? p.ids.map((id) => urlOf(route, id))
      : queriesFor(route, doc, p).map((q) => urlOf(route, '', q));
    for (const url of urls) {
      const res = await agent().get(url);
      seen.push({ url, status: res.status, text: res.text });
    }
  }
  return seen;
}

/** Answers that name a hidden id without having been asked for it. */
function idLeaks(seen: { url: string; status: number; text: string }[], ids: string[]): string[] {
  return seen.flatMap((s) =>
    ids
      .filter((id) => s.text.includes(id) && !s.url.includes(id))
      .map((id) => `${s.status} ${s.url}: names ${id}`),
  );
}

function leaks(seen: { url: string; status: number; text: string }[]): string[] {
  return seen
    .filter((s) => s.text.includes(SENTINEL))
    .map(
      (s) =>
        `${s.status} ${s.url}: ${s.text.slice(Math.max(0, s.text.indexOf(SENTINEL) - 80), s.text.indexOf(SENTINEL) + 60)}`,
    );
}

describe('restricted data never reaches viewers, the public, error messages or logs', () => {
  let t: TestApp;
  let pub: INestApplication;
  let routes: Route[];
  let doc: OpenAPIObject;
  let planted: Planted;
  const logged: string[] = [];
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    // The service logs at the most verbose level here: whatever it would ever log is checked.
    t = await createTestApp({ logLevel: 'debug' });
    pub = await createApp(testConfig({ publicRead: true, logLevel: 'debug' }));
    await pub.init();
    routes = routesOf(t.app);
    doc = SwaggerModule.createDocument(t.app, new DocumentBuilder().build());
    planted = await plantEverything(t);
    const capture = (chunk: unknown): void =>
      void logged.push(
        typeof chunk === 'string'
          ? chunk
          : Buffer.isBuffer(chunk)
            ? chunk.toString('utf8')
            : String(chunk),
      );
    for (const stream of [process.stdout, process.stderr]) {
      spies.push(
        jest.spyOn(stream, 'write').mockImplementation((chunk: unknown) => (capture(chunk), true)),
      );
    }
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      spies.push(
        jest
          .spyOn(console, level)
          .mockImplementation((...args: unknown[]) =>
            capture(
              args
                .map((a) =>
                  a instanceof Error
                    ? `${a.message}\n${a.stack}`
                    : typeof a === 'string'
                      ? a
                      : JSON.stringify(a),
                )
                .join(' '),
            ),
          ),
      );
    }
  });
  afterAll(async () => {
    for (const s of spies) s.mockRestore();
    await pub.close();
    await t.close();
  });

  it('the sentinel is really there for researchers (the scan can see it)', async () => {
    const v = await t.as('researcher').get(`/api/victims/${planted.verifiedVictim}`).expect(200);
    expect(v.text).toContain(plant('witness'));
    expect(v.text).toContain(plant('family'));
    const s = await t
      .as('researcher')
      .get(`/api/sources/${planted.sourceIds.restricted}`)
      .expect(200);
    expect(s.text).toContain(plant('restricted-title'));
  });

  it('a viewer reads every GET route with every planted id and query and never sees it', async () => {
    const seen = await readEverything(() => t.as('viewer'), routes, doc, planted);
    expect(seen.filter((s) => s.status === 200).length).toBeGreaterThan(50);
    expect(seen.filter((s) => s.status >= 500).map((s) => `${s.status} ${s.url}`)).toEqual([]);
    expect(leaks(seen)).toEqual([]);
    expect(idLeaks(seen, planted.hidden)).toEqual([]);
    // The viewer does get the verified victim, without its restricted fields.
    const v = await t.as('viewer').get(`/api/victims/${planted.verifiedVictim}`).expect(200);
    expect(v.body).not.toHaveProperty('witnessNames');
    expect(v.body).not.toHaveProperty('familyContact');
    expect(v.body).not.toHaveProperty('internalNotes');
  }, 180_000);

  it('the public (PUBLIC_READ on) reads every GET route and never sees it', async () => {
    const seen = await readEverything(
      () => request.agent(pub.getHttpServer()),
      routes,
      doc,
      planted,
    );
    expect(seen.filter((s) => s.status === 200).length).toBeGreaterThan(50);
    expect(seen.filter((s) => s.status >= 500).map((s) => `${s.status} ${s.url}`)).toEqual([]);
    expect(leaks(seen)).toEqual([]);
    expect(idLeaks(seen, planted.hidden)).toEqual([]);
  }, 180_000);

  it('a record known only from restricted sources is not public; public confidence rests on public sources', async () => {
    for (const [path, id] of [
      ['victims', planted.hidden[1]],
      ['incidents', planted.hiddenIncidents[0]],
    ]) {
      // Researchers see it: the check can fail.
      await t.as('researcher').get(`/api/${path}/${id}`).expect(200);
      await t.as('viewer').get(`/api/${path}/${id}`).expect(404);
      await request(pub.getHttpServer()).get(`/api/${path}/${id}`).expect(404);
    }
    for (const id of planted.hiddenIncidents) {
      for (const path of ['victims', 'counts', 'reconciliation']) {
        await t.as('researcher').get(`/api/${path}?incident=${id}`).expect(200);
        const res = await t.as('viewer').get(`/api/${path}?incident=${id}`).expect(400);
        expect(res.body.errors).toEqual([
          { field: 'incident', reason: `no incident with id ${id}` },
        ]);
      }
      const mine = await t.as('researcher').get(`/api/claims?incident=${id}`).expect(200);
      expect(mine.body.items.length).toBeGreaterThan(0);
      const theirs = await t.as('viewer').get(`/api/claims?incident=${id}`).expect(200);
      expect(theirs.body.items).toEqual([]);
    }
    const researcher = await t.as('researcher').get(`/api/victims/${planted.verifiedVictim}`);
    const viewer = await t.as('viewer').get(`/api/victims/${planted.verifiedVictim}`);
    const control = await t.as('viewer').get(`/api/victims/${planted.control}`);
    // Two independent A–B / 1–2 origins (one restricted) are "confirmed"; the open one alone is not.
    expect(researcher.body.confidence).toBe('confirmed');
    expect(viewer.body.confidence).toBe(control.body.confidence);
    expect(viewer.body.confidence).not.toBe('confirmed');
    const list = await t.as('viewer').get(`/api/victims?limit=200`).expect(200);
    const listed = list.body.items.find((v: { id: string }) => v.id === planted.verifiedVictim);
    expect(listed.confidence).toBe(control.body.confidence);
    // Counts and reconciliation for a viewer leave out the victim known only from restricted sources.
    const counted = async (role: 'viewer' | 'researcher') =>
      (await t.as(role).get('/api/counts?category=killed&status=verified').expect(200)).body.totals
        .count as number;
    expect(await counted('researcher')).toBe((await counted('viewer')) + 1);
  });

  it('`--public` exports from the CLI never carry it, in any format', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-restricted-'));
    const run = async (...args: string[]): Promise<string> => {
      const program = new Command()
        .exitOverride()
        .configureOutput({ writeOut: () => {}, writeErr: () => {} });
      registerExportCommands(program, (fn) => fn(t.ds));
      const out = path.join(dir, `${args.join('-')}.out`);
      await program.parseAsync([...args, '--out', out], { from: 'user' });
      return fs.readFileSync(out, 'utf8');
    };
    try {
      // The export without --public, as the operator, does carry restricted data: the check can see it.
      expect(await run('export', 'victims', '--format', 'json')).toContain(SENTINEL);
      const formats = (kind: string): string[] =>
        kind === 'sources' ? ['csv', 'json'] : ['csv', 'json', 'geojson'];
      for (const kind of EXPORT_KINDS) {
        for (const format of formats(kind)) {
          for (const extra of [[], ['--status', 'draft,submitted,verified,disputed,retracted']]) {
            if (extra.length && kind !== 'victims') continue;
            const text = await run('export', kind, '--public', '--format', format, ...extra);
            expect({
              kind,
              format,
              leaked: text.includes(SENTINEL),
              named: planted.hidden.filter((id) => text.includes(id)),
            }).toEqual({ kind, format, leaked: false, named: [] });
          }
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('error messages do not echo restricted data', async () => {
    const answers = [
      // A restricted source is simply not there for a viewer.
      await t.as('viewer').get(`/api/sources/${planted.sourceIds.restricted}`),
      await t.as('viewer').get(`/api/victims?source=${planted.sourceIds.restricted}`),
      // Conflicts on a record that holds restricted fields: stale version, duplicate unique URL.
      await t
        .as('researcher')
        .patch(`/api/victims/${planted.verifiedVictim}`)
        .send({ version: 99, occupation: 'x' }),
      await t
        .as('researcher')
        .patch(`/api/sources/${planted.sourceIds.restricted}`)
        .send({ version: 99, title: 'x' }),
      await t
        .as('researcher')
        .post('/api/sources')
        .send({
          kind: 'report',
          title: 'dup',
          url: `https://example.org/${plant('restricted-url')}`,
        }),
      // Refused writes that carry restricted values.
      await t
        .as('viewer')
        .post('/api/victims')
        .send({ harm: 'killed', witnessNames: plant('sent-by-viewer') }),
      await t
        .as('researcher')
        .post('/api/victims')
        .send({
          harm: 'abducted',
          witnessNames: plant('bad-victim'),
          familyContact: plant('bad-family'),
        }),
      await t
        .as('researcher')
        .post('/api/sources')
        .send({
          kind: 'report',
          title: 'bad',
          restricted: 'yes',
          internalNotes: plant('bad-source-notes'),
        }),
    ];
    for (const res of answers) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.text).not.toContain(SENTINEL);
    }
  });

  it('nothing the service logged contains it, even for failing writes that carried it', async () => {
    // A write that fails in the database, with restricted values among its parameters.
    await t
      .as('researcher')
      .post('/api/sources')
      .send({
        kind: 'report',
        title: 'Duplicate',
        url: `https://example.org/${plant('restricted-url')}`,
        internalNotes: plant('failed-insert-notes'),
      })
      .expect(409);
    const leaked = logged.filter((l) => l.includes(SENTINEL));
    expect(leaked.map((l) => l.slice(0, 300))).toEqual([]);
  });
});
