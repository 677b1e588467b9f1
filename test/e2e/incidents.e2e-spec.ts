import { SEED } from '../../seed/seed.js';
import { buildSource } from '../factories/index.js';
import {
  buildIncident,
  countRows,
  createClaim,
  createIncident,
  PLACES,
} from '../factories/places-claims.js';
import { createTestApp, type TestApp } from '../setup/app.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

type Problem = { field: string; reason: string };
const fields = (body: { errors: Problem[] }): string[] => body.errors.map((e) => e.field);

describe('incidents', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const rowCounts = async () => ({
    incidents: await countRows(t.ds, 'incidents'),
    attestations: await countRows(t.ds, 'attestations'),
    audit: await countRows(t.ds, 'audit_log'),
  });

  describe('create', () => {
    it('creates a draft incident from a Persian place and a Solar Hijri date, with its attestations, in one go', async () => {
      const res = await t
        .http()
        .post('/api/incidents')
        .send(
          buildIncident({
            title: 'Shootings in the marshes of Mahshahr',
            titleFa: 'کشتار نیزارهای ماهشهر',
            location: 'ماهشهر',
            date: '۲۷ آبان ۱۳۹۸',
            perpetrators: ['irgc', 'security_forces'],
            internalNotes: 'witness list kept offline',
            attestations: [
              {
                sourceId: SEED.sources.amnesty,
                locator: 'p. 4',
                excerpt: 'marshes',
                assertedFields: ['date', 'location'],
                credibility: 2,
              },
              { sourceId: SEED.sources.reuters, credibility: 3, primaryEvidence: true },
            ],
          }),
        )
        .expect(201);
      expect(res.body).toMatchObject({
        title: 'Shootings in the marshes of Mahshahr',
        titleFa: 'کشتار نیزارهای ماهشهر',
        status: 'draft',
        category: 'shooting',
        perpetrators: ['irgc', 'security_forces'],
        location: {
          id: PLACES.mahshahr,
          kind: 'city',
          nameEn: 'Bandar-e Mahshahr',
          nameFa: 'بندر ماهشهر',
        },
        date: {
          precision: 'day',
          gregorian: { from: '2019-11-18', to: '2019-11-18' },
          jalali: { from: '1398-08-27', to: '1398-08-27' },
          original: '۲۷ آبان ۱۳۹۸',
        },
        internalNotes: 'witness list kept offline',
        version: 1,
      });
      // Attestations written in one request share their creation time: their order is by id.
      expect(res.body.attestations).toHaveLength(2);
      expect(res.body.attestations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            source: expect.objectContaining({
              id: SEED.sources.amnesty,
              publisher: 'Amnesty International',
              reliability: 'B',
            }),
            locator: 'p. 4',
            excerpt: 'marshes',
            assertedFields: ['date', 'location'],
            credibility: 2,
            primaryEvidence: false,
          }),
          expect.objectContaining({
            source: expect.objectContaining({ id: SEED.sources.reuters }),
            credibility: 3,
            primaryEvidence: true,
          }),
        ]),
      );
      const audit = await t.ds.query<{ entity: string; action: string; actor_id: string }[]>(
        `SELECT entity, action, actor_id FROM audit_log WHERE entity_id = ANY($1::uuid[]) ORDER BY entity`,
        [[res.body.id, ...res.body.attestations.map((a: { id: string }) => a.id)]],
      );
      expect(audit.map((a) => `${a.entity}:${a.action}`)).toEqual([
        'attestations:create',
        'attestations:create',
        'incidents:create',
      ]);
      expect(audit.every((a) => a.actor_id === t.users.admin.id)).toBe(true);
    });

    it('gets an incident with its attestations and their sources', async () => {
      const res = await t.http().get(`/api/incidents/${SEED.incident}`).expect(200);
      expect(res.body).toMatchObject({
        id: SEED.incident,
        status: 'submitted',
        location: { id: PLACES.iran },
        date: {
          precision: 'range',
          gregorian: { from: '2019-11-16', to: '2019-11-19' },
          jalali: { from: '1398-08-25', to: '1398-08-28' },
        },
        perpetrators: ['irgc', 'basij', 'security_forces'],
        attestations: [
          {
            id: SEED.incidentAttestation,
            source: { id: SEED.sources.jointStatement },
            credibility: 2,
          },
        ],
      });
    });

    it('accepts a range in English words and a place id, and leaves date and place optional', async () => {
      const ranged = await t
        .http()
        .post('/api/incidents')
        .send(buildIncident({ date: 'between 15 and 19 November 2019' }))
        .expect(201);
      expect(ranged.body.date).toMatchObject({
        precision: 'range',
        gregorian: { from: '2019-11-15', to: '2019-11-19' },
      });
      const bare = await t
        .http()
        .post('/api/incidents')
        .send(buildIncident({ date: undefined, location: undefined, category: undefined }))
        .expect(201);
      expect(bare.body).toMatchObject({ date: null, location: null, category: 'other' });
    });
  });

  describe('list', () => {
    let inMahshahr: string;
    let inTehran: string;
    beforeAll(async () => {
      inMahshahr = (
        await createIncident(t.ds, {
          title: 'List: Mahshahr',
          locationId: PLACES.mahshahr,
          dateFrom: '2019-11-18',
          dateTo: '2019-11-18',
        })
      ).id;
      inTehran = (
        await createIncident(t.ds, {
          title: 'List: Tehran',
          locationId: PLACES.tehranCity,
          category: 'mass_arrest',
          dateFrom: '2019-12-01',
          dateTo: '2019-12-31',
          datePrecision: 'month',
        })
      ).id;
    });
    const ids = async (query: Record<string, string | number>) =>
      (
        (await t.http().get('/api/incidents').query(query).expect(200)).body.items as {
          id: string;
        }[]
      ).map((i) => i.id);

    it('filters by place, including everything inside it, by any spelling', async () => {
      expect(await ids({ location: 'Khuzestan', limit: 200 })).toContain(inMahshahr);
      expect(await ids({ location: 'Khuzestan', limit: 200 })).not.toContain(inTehran);
      expect(await ids({ location: 'خوزستان', limit: 200 })).toContain(inMahshahr);
      const iran = await ids({ location: 'Iran', limit: 200 });
      expect(iran).toEqual(expect.arrayContaining([SEED.incident, inMahshahr, inTehran]));
    });

    it('reads a name shared by a province and its capital as the province, as victims do, and says so', async () => {
      const res = await t.http().get('/api/incidents').query({ location: 'تهران', limit: 200 });
      expect(res.status).toBe(200);
      const got = (res.body.items as { id: string }[]).map((i) => i.id);
      expect(got).toContain(inTehran);
      expect(got).not.toContain(inMahshahr);
      expect(res.body.location).toMatchObject({
        kind: 'province',
        nameEn: 'Tehran',
        resolvedAs: 'containing',
      });
      expect(res.body.location.alternatives).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: PLACES.tehranCity, kind: 'city' })]),
      );
      const city = await t
        .http()
        .get('/api/incidents')
        .query({ location: PLACES.tehranCity })
        .expect(200);
      expect((city.body.items as { id: string }[]).map((i) => i.id)).toEqual([inTehran]);
      expect(city.body.location).not.toHaveProperty('resolvedAs');
    });

    it('filters by overlap with a date window, in either calendar', async () => {
      expect(await ids({ from: '2019-11-18', to: '2019-11-25', limit: 200 })).toEqual(
        expect.arrayContaining([SEED.incident, inMahshahr]),
      );
      expect(await ids({ from: '2019-11-20', to: '2019-11-30', limit: 200 })).not.toContain(
        SEED.incident,
      );
      const jalali = await ids({
        from: '1398-09-15',
        to: '1398-09-20',
        calendar: 'jalali',
        limit: 200,
      });
      expect(jalali).toContain(inTehran);
      expect(jalali).not.toContain(inMahshahr);
    });

    it('filters by category and status, with pagination', async () => {
      expect(await ids({ category: 'mass_arrest', limit: 200 })).toEqual([inTehran]);
      const submitted = await ids({ status: 'submitted', limit: 200 });
      expect(submitted).toEqual([SEED.incident]);
      const page = await t.http().get('/api/incidents').query({ limit: 1, offset: 1 }).expect(200);
      expect(page.body).toMatchObject({ limit: 1, offset: 1 });
      expect(page.body.total).toBeGreaterThanOrEqual(3);
      expect(page.body.items).toHaveLength(1);
    });

    it('shows viewers verified incidents only', async () => {
      const viewer = await t.as('viewer').get('/api/incidents').query({ limit: 200 }).expect(200);
      expect(viewer.body.items.every((i: { status: string }) => i.status === 'verified')).toBe(
        true,
      );
      await t.as('viewer').get(`/api/incidents/${SEED.incident}`).expect(404);
    });

    it.each([
      ['an ambiguous place', { location: 'Golestan' }, 'location', 'ambiguous'],
      ['an unknown place', { location: 'Atlantis' }, 'location', 'validation'],
      ['an inverted window', { from: '2019-11-20', to: '2019-11-10' }, 'to', 'validation'],
      ['an impossible date', { from: '1398-13-40', calendar: 'jalali' }, 'from', 'validation'],
      ['an unknown status', { status: 'lost' }, 'status', 'validation'],
      ['an unknown category', { category: 'riot' }, 'category', 'validation'],
      ['an unknown filter', { colour: 'red' }, 'colour', 'validation'],
    ])('answers %s with 400', async (_name, query, field, code) => {
      const res = await t.http().get('/api/incidents').query(query).expect(400);
      expect(res.body.code).toBe(code);
      expect(fields(res.body)).toContain(field);
    });
  });

  describe('update', () => {
    it('edits with the current version, refuses a stale one, and clears optional fields with null', async () => {
      const { body: inc } = await t.http().post('/api/incidents').send(buildIncident()).expect(201);
      const ok = await t
        .http()
        .patch(`/api/incidents/${inc.id}`)
        .send({
          version: 1,
          title: 'Renamed',
          location: 'Ahvaz',
          date: '1398-08-26',
          dateCalendar: 'jalali',
          perpetrators: ['basij'],
        })
        .expect(200);
      expect(ok.body).toMatchObject({
        title: 'Renamed',
        location: { id: PLACES.ahvaz },
        date: { gregorian: { from: '2019-11-17' } },
        perpetrators: ['basij'],
        status: 'draft',
        version: 2,
      });
      expect(ok.body.attestations).toHaveLength(1);
      const cleared = await t
        .http()
        .patch(`/api/incidents/${inc.id}`)
        .send({ version: 2, location: null, date: null })
        .expect(200);
      expect(cleared.body).toMatchObject({ location: null, date: null, version: 3 });
      const stale = await t
        .http()
        .patch(`/api/incidents/${inc.id}`)
        .send({ version: 2, title: 'Lost' })
        .expect(409);
      expect(stale.body).toMatchObject({ code: 'version_conflict', currentVersion: 3 });
      const audit = await t.ds.query<{ action: string }[]>(
        `SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`,
        [inc.id],
      );
      expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'update']);
    });

    it.each([
      ['a cleared title', { title: null }, 'title', 400],
      ['attestations (added through /api/attestations)', { attestations: [] }, 'attestations', 400],
      ['a status (a workflow step)', { status: 'verified' }, 'status', 400],
      ['a calendar without a date', { dateCalendar: 'jalali' }, 'dateCalendar', 400],
      ['an unknown location id', { location: MISSING }, 'location', 422],
      ['an ambiguous place', { location: 'Tehran' }, 'location', 400],
    ])('refuses %s', async (_name, patch, field, status) => {
      const inc = await createIncident(t.ds);
      const res = await t
        .http()
        .patch(`/api/incidents/${inc.id}`)
        .send({ version: 1, ...patch })
        .expect(status);
      expect(fields(res.body)).toContain(field);
      const after = await t.http().get(`/api/incidents/${inc.id}`).expect(200);
      expect(after.body.version).toBe(1);
    });

    it('requires the version', async () => {
      const res = await t
        .http()
        .patch(`/api/incidents/${SEED.incident}`)
        .send({ title: 'x' })
        .expect(400);
      expect(fields(res.body)).toContain('version');
    });
  });

  describe('delete', () => {
    it('deletes an incident nothing refers to, with its attestations, for the researcher whose draft it is', async () => {
      const { body: inc } = await t
        .as('researcher')
        .post('/api/incidents')
        .send(buildIncident())
        .expect(201);
      const attestationId = inc.attestations[0].id as string;
      await t.as('researcher').delete(`/api/incidents/${inc.id}?version=1`).expect(204);
      await t.http().get(`/api/incidents/${inc.id}`).expect(404);
      const left = await t.ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM attestations WHERE id = $1`,
        [attestationId],
      );
      expect(left[0].n).toBe(0);
      const audit = await t.ds.query<object[]>(
        `SELECT entity, action FROM audit_log WHERE entity_id = ANY($1::uuid[]) AND action = 'delete' ORDER BY entity`,
        [[inc.id, attestationId]],
      );
      expect(audit).toEqual([
        { entity: 'attestations', action: 'delete' },
        { entity: 'incidents', action: 'delete' },
      ]);
    });

    it('refuses while claims refer to it (the founding incident)', async () => {
      const res = await t.http().delete(`/api/incidents/${SEED.incident}?version=1`).expect(409);
      expect(res.body).toMatchObject({ code: 'conflict', references: { victims: 0, claims: 3 } });
      await t.http().get(`/api/incidents/${SEED.incident}`).expect(200);
    });

    it('refuses while a victim refers to it', async () => {
      const inc = await createIncident(t.ds);
      await t.ds.query(`INSERT INTO victims (harm, incident_id) VALUES ('killed', $1)`, [inc.id]);
      const res = await t.http().delete(`/api/incidents/${inc.id}?version=1`).expect(409);
      expect(res.body.references).toEqual({ victims: 1, claims: 0 });
    });

    it('refuses a stale version and a viewer', async () => {
      const inc = await createIncident(t.ds);
      await t.http().delete(`/api/incidents/${inc.id}?version=2`).expect(409);
      await t.as('viewer').delete(`/api/incidents/${inc.id}?version=1`).expect(403);
      await createClaim(t.ds, { incidentId: inc.id });
      await t.http().delete(`/api/incidents/${inc.id}?version=1`).expect(409);
    });
  });

  describe('bad input', () => {
    it.each([
      ['no attestations', { attestations: undefined }, 'attestations'],
      ['an empty list of attestations', { attestations: [] }, 'attestations'],
      ['an attestation that is not an object', { attestations: ['amnesty'] }, 'attestations[0]'],
      [
        'an out-of-range credibility',
        { attestations: [{ sourceId: SEED.sources.amnesty, credibility: 7 }] },
        'attestations[0].credibility',
      ],
      [
        'a credibility as text',
        { attestations: [{ sourceId: SEED.sources.amnesty, credibility: '2' }] },
        'attestations[0].credibility',
      ],
      [
        'a bad source UUID',
        { attestations: [{ sourceId: 'amnesty', credibility: 2 }] },
        'attestations[0].sourceId',
      ],
      [
        'an unknown field in an attestation',
        { attestations: [{ sourceId: SEED.sources.amnesty, credibility: 2, page: 3 }] },
        'attestations[0].page',
      ],
      ['a wrong type', { title: 42 }, 'title'],
      ['an empty title', { title: ' ' }, 'title'],
      ['an unknown field', { casualties: 12 }, 'casualties'],
      ['an unknown category', { category: 'riot' }, 'category'],
      ['an unknown perpetrator', { perpetrators: ['army'] }, 'perpetrators'],
      ['a repeated perpetrator', { perpetrators: ['irgc', 'irgc'] }, 'perpetrators'],
      ['an impossible date', { date: '2019-02-30' }, 'date'],
      ['an impossible Solar Hijri date', { date: '1398-13-40', dateCalendar: 'jalali' }, 'date'],
      ['a Solar Hijri date without its calendar', { date: '1398-08-25' }, 'date'],
      ['an inverted date range', { date: '2019-11-19/2019-11-15' }, 'date'],
      ['an unknown place', { location: 'Atlantis' }, 'location'],
      ['an ambiguous place', { location: 'Golestan' }, 'location'],
      ['an empty place', { location: '' }, 'location'],
      ['a status (always draft on creation)', { status: 'verified' }, 'status'],
    ])('rejects %s with 400 naming the field and writes nothing', async (_name, patch, field) => {
      const before = await rowCounts();
      const res = await t.http().post('/api/incidents').send(buildIncident(patch)).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(fields(res.body)).toContain(field);
      expect(await rowCounts()).toEqual(before);
    });

    it('answers an ambiguous place with the candidates', async () => {
      const res = await t
        .http()
        .post('/api/incidents')
        .send(buildIncident({ location: 'Golestan' }))
        .expect(400);
      expect(res.body.code).toBe('ambiguous');
      expect(res.body.candidates.map((c: { id: string }) => c.id).sort()).toEqual(
        [PLACES.golestanProvince, PLACES.baharestan].sort(),
      );
    });

    it('rejects an unknown source with 422 naming attestations[0].sourceId', async () => {
      const before = await rowCounts();
      const res = await t
        .http()
        .post('/api/incidents')
        .send(buildIncident({ attestations: [{ sourceId: MISSING, credibility: 2 }] }))
        .expect(422);
      expect(res.body).toMatchObject({
        statusCode: 422,
        code: 'unprocessable',
        errors: [{ field: 'attestations[0].sourceId', reason: `no source with id ${MISSING}` }],
      });
      expect(await rowCounts()).toEqual(before);
    });

    it('writes nothing when the second attestation is bad: no incident, no first attestation, no audit', async () => {
      const title = 'Half-written incident';
      const before = await rowCounts();
      const res = await t
        .http()
        .post('/api/incidents')
        .send(
          buildIncident({
            title,
            attestations: [
              { sourceId: SEED.sources.amnesty, credibility: 2 },
              { sourceId: MISSING, credibility: 3 },
            ],
          }),
        )
        .expect(422);
      expect(fields(res.body)).toEqual(['attestations[1].sourceId']);
      expect(await rowCounts()).toEqual(before);
      const found = await t.ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM incidents WHERE title = $1`,
        [title],
      );
      expect(found[0].n).toBe(0);
    });

    it('rejects an unknown location id with 422', async () => {
      const before = await rowCounts();
      const res = await t
        .http()
        .post('/api/incidents')
        .send(buildIncident({ location: MISSING }))
        .expect(422);
      expect(res.body.errors).toEqual([
        { field: 'location', reason: `no location with id ${MISSING}` },
      ]);
      expect(await rowCounts()).toEqual(before);
    });

    it('answers malformed JSON with 400, a bad UUID with 400 and an unknown id with 404', async () => {
      const json = await t
        .http()
        .post('/api/incidents')
        .set('Content-Type', 'application/json')
        .send('{"title": ')
        .expect(400);
      expect(json.body.errors[0]).toMatchObject({ field: 'body', reason: 'malformed JSON' });
      const bad = await t.http().get('/api/incidents/12').expect(400);
      expect(fields(bad.body)).toEqual(['id']);
      const missing = await t.http().get(`/api/incidents/${MISSING}`).expect(404);
      expect(missing.body.code).toBe('not_found');
      await t.http().delete(`/api/incidents/${MISSING}?version=1`).expect(404);
    });

    it('hides attestations from restricted sources and internal notes from viewers', async () => {
      const { body: secret } = await t
        .http()
        .post('/api/sources')
        .send(buildSource({ restricted: true }))
        .expect(201);
      const { body: inc } = await t
        .http()
        .post('/api/incidents')
        .send(
          buildIncident({
            internalNotes: 'informant X',
            attestations: [
              { sourceId: SEED.sources.amnesty, credibility: 2 },
              { sourceId: secret.id, credibility: 2 },
            ],
          }),
        )
        .expect(201);
      expect(inc.attestations).toHaveLength(2);
      await t.ds.query(`UPDATE incidents SET status = 'verified' WHERE id = $1`, [inc.id]);
      const viewer = await t.as('viewer').get(`/api/incidents/${inc.id}`).expect(200);
      expect(viewer.body.attestations.map((a: { source: { id: string } }) => a.source.id)).toEqual([
        SEED.sources.amnesty,
      ]);
      expect(viewer.body).not.toHaveProperty('internalNotes');
      const researcher = await t.as('researcher').get(`/api/incidents/${inc.id}`).expect(200);
      expect(researcher.body).toMatchObject({ internalNotes: 'informant X' });
      expect(researcher.body.attestations).toHaveLength(2);
    });
  });
});
