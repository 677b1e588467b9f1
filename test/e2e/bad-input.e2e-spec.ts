import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { SEED } from '../../seed/seed.js';
import { buildSource } from '../factories/index.js';
import { countRows } from '../factories/imports.js';
import { buildVictim } from '../factories/victims.js';
import { createTestApp, resetDatabase, type TestApp } from '../setup/app.js';

/** Bad input of every kind is a 4xx naming the field, never a 500 (issue 17). */
describe('bad input is a 4xx, always', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => resetDatabase(t.ds));

  const upper = (id: string): string => id.toUpperCase();
  const deep = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);
  const createSource = async (overrides: Record<string, unknown> = {}): Promise<string> =>
    (
      (await t.http().post('/api/sources').send(buildSource(overrides)).expect(201)).body as {
        id: string;
      }
    ).id;
  const importFile = (query: string, body: string, type = 'text/csv') =>
    t.http().post(`/api/imports?${query}`).set('Content-Type', type).send(body);

  describe('NUL characters', () => {
    it('refuses a NUL in a JSON string, naming the field, and writes nothing', async () => {
      const before = await countRows(t.ds, 'sources');
      const res = await t
        .http()
        .post('/api/sources')
        .send(buildSource({ title: 'Amnesty\u0000report' }))
        .expect(400);
      expect(res.body).toMatchObject({
        code: 'validation',
        errors: [{ field: 'title', reason: expect.stringContaining('NUL') }],
      });
      expect(await countRows(t.ds, 'sources')).toBe(before);
    });

    it('names a nested field and a NUL in a key', async () => {
      const nested = await t
        .http()
        .post('/api/victims')
        .send(
          buildVictim(SEED.sources.amnesty, {
            attestations: [{ sourceId: SEED.sources.amnesty, credibility: 2, excerpt: 'a\u0000' }],
          }),
        )
        .expect(400);
      expect(nested.body.errors[0]).toMatchObject({ field: 'attestations[0].excerpt' });
      const key = await t
        .http()
        .patch(`/api/sources/${SEED.sources.amnesty}`)
        .send({ version: 1, 'ti\u0000tle': 'x' })
        .expect(400);
      expect(key.body.errors[0].reason).toContain('NUL');
    });

    it('refuses %00 in a query string and in a path parameter, naming them', async () => {
      const q = await t.http().get('/api/victims?q=Moh%00amad').expect(400);
      expect(q.body.errors).toEqual([{ field: 'q', reason: expect.stringContaining('NUL') }]);
      const counts = await t
        .http()
        .get('/api/counts?category=killed&location=Karaj%00')
        .expect(400);
      expect(counts.body.errors[0].field).toBe('location');
      const path = await t.http().get('/api/sources/abc%00def').expect(400);
      expect(path.body.errors[0]).toMatchObject({
        field: 'id',
        reason: expect.stringContaining('NUL'),
      });
      const status = await t
        .http()
        .post(`/api/victims/${SEED.sources.amnesty}%00/status`)
        .send({ status: 'submitted', version: 1 })
        .expect(400);
      expect(status.body.errors[0].field).toBe('id');
    });

    it('answers a NUL in a header with a 4xx (the HTTP parser refuses it before any route)', async () => {
      const server = t.app.getHttpServer() as import('node:http').Server;
      if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const { port } = server.address() as AddressInfo;
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.write(
            `GET /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer clt_a\u0000b\r\nConnection: close\r\n\r\n`,
          );
        });
        let data = '';
        socket.on('data', (d: Buffer) => (data += d.toString('latin1')));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      expect(reply).toMatch(/^HTTP\/1\.1 4\d\d /);
    });

    it('refuses a NUL in a CSV cell or a JSON record of an import, naming the column; nothing written', async () => {
      const before = await countRows(t.ds, 'audit_log');
      const csv = await importFile(
        'kind=sources',
        'kind,title,reliability\nreport,Fine,B\nreport,Bad\u0000title,B\n',
      ).expect(400);
      expect(csv.body.errors[0]).toMatchObject({
        field: 'title',
        reason: expect.stringContaining('line 3'),
      });
      const json = await importFile(
        'kind=victims',
        JSON.stringify([{ name_fa: 'نام\u0000', source_url: 'https://example.org/a' }]),
        'application/json',
      ).expect(400);
      expect(json.body.errors[0]).toMatchObject({ field: 'name_fa' });
      expect(await countRows(t.ds, 'audit_log')).toBe(before);
    });
  });

  describe('deep JSON', () => {
    it('refuses 2,400 levels of nesting with 400 on JSON routes, before anything recursive', async () => {
      for (const [method, url] of [
        ['post', '/api/sources'],
        ['patch', `/api/sources/${SEED.sources.amnesty}`],
        ['post', '/api/victims'],
      ] as const) {
        const res = await t
          .http()
          [method](url)
          .set('Content-Type', 'application/json')
          .send(`{"title": ${deep(2400)}}`)
          .expect(400);
        expect(res.body).toMatchObject({
          code: 'validation',
          errors: [{ field: 'body', reason: expect.stringContaining('levels deep') }],
        });
      }
      // Brackets inside a string are text, not nesting.
      const text = await t
        .http()
        .post('/api/sources')
        .send(buildSource({ title: `[[[[${'['.repeat(100)}` }))
        .expect(201);
      expect(text.body.title).toMatch(/^\[{104}$/);
    });

    it('refuses a deeply nested record of a JSON import', async () => {
      const res = await importFile(
        'kind=victims',
        `[{"name_fa": "x", "attestations": ${deep(2400)}}]`,
        'application/json',
      ).expect(400);
      expect(res.body.errors[0]).toMatchObject({
        field: 'file',
        reason: expect.stringContaining('levels deep'),
      });
    });
  });

  describe('upper-case UUIDs: accepted and normalised to lower case everywhere', () => {
    it('in a path parameter and a query filter', async () => {
      const got = await t
        .http()
        .get(`/api/sources/${upper(SEED.sources.amnesty)}`)
        .expect(200);
      expect(got.body.id).toBe(SEED.sources.amnesty);
      const list = await t
        .http()
        .get(`/api/attestations?sourceId=${upper(SEED.sources.jointStatement)}`)
        .expect(200);
      const lower = await t
        .http()
        .get(`/api/attestations?sourceId=${SEED.sources.jointStatement}`)
        .expect(200);
      expect(list.body.total).toBe(lower.body.total);
      expect(list.body.total).toBeGreaterThan(0);
    });

    it('in a body: an id and its upper-case form are one id, and a source cannot relay itself in capitals', async () => {
      const id = await createSource();
      const res = await t
        .http()
        .patch(`/api/sources/${upper(id)}`)
        .send({ version: 1, relays: [upper(SEED.sources.amnesty), SEED.sources.amnesty] })
        .expect(200);
      expect(res.body.relays).toEqual([SEED.sources.amnesty]);
      const self = await t
        .http()
        .patch(`/api/sources/${id}`)
        .send({ version: 2, cites: [upper(id)] })
        .expect(422);
      expect(self.body.errors[0].field).toBe('cites');
      const links = await t.ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM source_links WHERE source_id = $1`,
        [id],
      );
      expect(links[0].n).toBe(1);
      const victim = await t
        .http()
        .post('/api/victims')
        .send(buildVictim(upper(SEED.sources.amnesty), { incidentId: upper(SEED.incident) }))
        .expect(201);
      expect(victim.body.incidentId).toBe(SEED.incident);
      expect(JSON.stringify(victim.body)).not.toContain(upper(SEED.sources.amnesty));
    });

    it('in an import file', async () => {
      const res = await importFile(
        'kind=victims',
        `name_fa,source_ids\nنام یک,${upper(SEED.sources.amnesty)}\n`,
      ).expect(201);
      expect(res.body).toMatchObject({ read: 1, imported: 1 });
      const rows = await t.ds.query<{ source_id: string }[]>(
        `SELECT source_id::text FROM attestations WHERE victim_id IS NOT NULL`,
      );
      expect(rows.map((r) => r.source_id)).toEqual([SEED.sources.amnesty]);
    });
  });

  describe('content types and reserved keys', () => {
    it('answers a body that is not JSON on a JSON route with 415, and issues no token for XML', async () => {
      const tokens = await countRows(t.ds, 'api_tokens');
      const xml = await t
        .http()
        .post(`/api/users/${t.users.viewer.id}/tokens`)
        .set('Content-Type', 'application/xml')
        .send('<token><name>x</name></token>')
        .expect(415);
      expect(xml.body).toMatchObject({
        code: 'unsupported_media_type',
        errors: [{ field: 'Content-Type', reason: expect.stringContaining('application/json') }],
      });
      expect(await countRows(t.ds, 'api_tokens')).toBe(tokens);
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
      ]) {
        const res = await t
          .http()
          .post('/api/sources')
          .set('Content-Type', type)
          .send(JSON.stringify(buildSource()))
          .expect(415);
        expect(res.body.errors[0].field).toBe('Content-Type');
      }
      // No Content-Type at all, with a body.
      const none = await t
        .http()
        .post('/api/sources')
        .set('Content-Type', '')
        .send(Buffer.from(JSON.stringify(buildSource())))
        .expect(415);
      expect(none.body.errors[0].reason).toContain('missing');
      // An import of a type it does not read is a 415 as well.
      await importFile('kind=victims', '<victims/>', 'application/xml').expect(415);
      // A JSON route still takes JSON with a charset, or a +json type.
      await t
        .http()
        .post('/api/sources')
        .set('Content-Type', 'application/merge-patch+json; charset=utf-8')
        .send(JSON.stringify(buildSource()))
        .expect(201);
    });

    it('refuses __proto__, constructor and prototype keys like any unknown field', async () => {
      const before = await countRows(t.ds, 'sources');
      for (const [body, field] of [
        ['{"__proto__": {"restricted": true}}', '__proto__'],
        ['{"constructor": {"prototype": {"x": 1}}}', 'constructor'],
        ['{"prototype": 1}', 'prototype'],
      ]) {
        const full = JSON.stringify(buildSource()).replace(/^\{/, `{${body.slice(1, -1)}, `);
        const res = await t
          .http()
          .post('/api/sources')
          .set('Content-Type', 'application/json')
          .send(full)
          .expect(400);
        expect(res.body.errors).toEqual([{ field, reason: expect.stringContaining(field) }]);
      }
      const nested = await t
        .http()
        .post('/api/victims')
        .set('Content-Type', 'application/json')
        .send(
          `{"nameFa": "x", "harm": "killed", "attestations": [{"sourceId": "${SEED.sources.amnesty}", "credibility": 2, "__proto__": {"credibility": 1}}]}`,
        )
        .expect(400);
      expect(nested.body.errors[0].field).toBe('attestations[0].__proto__');
      const query = await t.http().get('/api/sources?__proto__[limit]=1').expect(400);
      expect(query.body.errors[0].field).toBe('__proto__[limit]');
      const imp = await importFile(
        'kind=sources',
        '[{"kind": "report", "title": "t", "__proto__": {"restricted": true}}]',
        'application/json',
      ).expect(400);
      expect(imp.body.errors[0].field).toBe('__proto__');
      expect(await countRows(t.ds, 'sources')).toBe(before);
    });
  });

  describe('source relay cycles', () => {
    it('refuses a loop of relays or cites through the API, naming the field, and changes nothing', async () => {
      const a = await createSource({ relays: [SEED.sources.amnesty] });
      const b = await createSource({ relays: [a] });
      const c = await createSource({ cites: [b] });
      const direct = await t
        .http()
        .patch(`/api/sources/${a}`)
        .send({ version: 1, relays: [b] })
        .expect(422);
      expect(direct.body.errors[0]).toMatchObject({
        field: 'relays',
        reason: expect.stringContaining('loop'),
      });
      const through = await t
        .http()
        .patch(`/api/sources/${a}`)
        .send({ version: 1, cites: [c] })
        .expect(422);
      expect(through.body.errors[0]).toMatchObject({ field: 'cites' });
      const got = await t.http().get(`/api/sources/${a}`).expect(200);
      expect(got.body).toMatchObject({ version: 1, relays: [SEED.sources.amnesty], cites: [] });
      // A diamond (a and b both relayed by c) is not a loop.
      await t
        .http()
        .patch(`/api/sources/${c}`)
        .send({ version: 1, relays: [a] })
        .expect(200);
    });

    it('refuses rows of an import that relay each other, and those that link to them', async () => {
      const [x, y, z, w] = [
        '0b6b4a52-3f7e-4c1e-9a1e-000000000001',
        '0b6b4a52-3f7e-4c1e-9a1e-000000000002',
        '0b6b4a52-3f7e-4c1e-9a1e-000000000003',
        '0b6b4a52-3f7e-4c1e-9a1e-000000000004',
      ];
      const file = [
        'id,kind,title,reliability,relays,cites',
        `${x},report,X,B,${y},`,
        `${y},report,Y,B,,${x}`,
        `${z},report,Z,B,${x},`,
        `${w},report,W,B,${SEED.sources.amnesty},`,
      ].join('\n');
      const before = await countRows(t.ds, 'sources');
      const all = await importFile('kind=sources', file).expect(422);
      expect(all.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ line: 2, field: 'relays' }),
          expect.objectContaining({ line: 3, field: 'cites' }),
          expect.objectContaining({ line: 4, field: 'relays' }),
        ]),
      );
      expect(await countRows(t.ds, 'sources')).toBe(before);
      const skip = await importFile('kind=sources&mode=skip-invalid', file).expect(201);
      expect(skip.body).toMatchObject({ read: 4, imported: 1, rejected: 3 });
      expect(await countRows(t.ds, 'sources')).toBe(before + 1);
    });
  });

  describe('a file with no rows', () => {
    it('refuses a header-only CSV and an empty JSON array with 400, writing nothing', async () => {
      const audit = await countRows(t.ds, 'audit_log');
      for (const [kind, body, type] of [
        ['victims', 'name_fa,source_url\n', 'text/csv'],
        ['sources', 'kind,title\r\n', 'text/csv'],
        ['claims', '[]', 'application/json'],
      ]) {
        const res = await importFile(`kind=${kind}`, body, type).expect(400);
        expect(res.body.errors[0]).toMatchObject({
          field: 'file',
          reason: expect.stringContaining('no rows'),
        });
      }
      expect(await countRows(t.ds, 'audit_log')).toBe(audit);
    });
  });
});
