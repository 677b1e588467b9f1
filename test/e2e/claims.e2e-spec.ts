import { SEED } from '../../seed/seed.js';
import { buildSource } from '../factories/index.js';
import {
  buildClaim,
  countRows,
  createClaim,
  createIncident,
  PLACES,
} from '../factories/places-claims.js';
import { createTestApp, type TestApp } from '../setup/app.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

type Problem = { field: string; reason: string };
const fields = (body: { errors: Problem[] }): string[] => body.errors.map((e) => e.field);

describe('claims', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const written = async () => ({
    claims: await countRows(t.ds, 'count_claims'),
    audit: await countRows(t.ds, 'audit_log'),
  });

  describe('create', () => {
    it('records a figure with its interval in plain terms, its sources and its scope', async () => {
      const res = await t
        .http()
        .post('/api/claims')
        .send(
          buildClaim({
            sourceId: SEED.sources.jointStatement,
            attributedSourceId: SEED.sources.amnesty,
            qualifier: 'at_least',
            low: 148,
            location: 'ماهشهر',
            date: '۲۵ تا ۲۸ آبان ۱۳۹۸',
            incidentId: SEED.incident,
            population: 'non_security',
            populationNote: 'protesters and bystanders',
            publishedDate: '1399-03-03 SH',
            excerpt: 'at least 148 people in Mahshahr',
            locator: 'para 5',
            internalNotes: 'cross-check with list B',
          }),
        )
        .expect(201);
      expect(res.body).toMatchObject({
        category: 'killed',
        qualifier: 'at_least',
        low: 148,
        best: null,
        high: null,
        interval: {
          low: 148,
          lowInclusive: true,
          high: null,
          highInclusive: false,
          best: null,
          kind: 'bound',
          text: 'at least 148',
        },
        source: {
          id: SEED.sources.jointStatement,
          title:
            "We support Amnesty International's Request to Investigate the November 2019 Protests!",
        },
        attributedSource: { id: SEED.sources.amnesty, publisher: 'Amnesty International' },
        location: { id: PLACES.mahshahr, nameEn: 'Bandar-e Mahshahr' },
        date: {
          gregorian: { from: '2019-11-16', to: '2019-11-19' },
          jalali: { from: '1398-08-25', to: '1398-08-28' },
        },
        incidentId: SEED.incident,
        population: 'non_security',
        populationNote: 'protesters and bystanders',
        basis: 'named_list',
        publishedDate: {
          precision: 'day',
          gregorian: { from: '2020-05-23' },
          jalali: { from: '1399-03-03' },
        },
        excerpt: 'at least 148 people in Mahshahr',
        locator: 'para 5',
        credibility: 2,
        status: 'draft',
        relaysClaimId: null,
        relayedBy: [],
        internalNotes: 'cross-check with list B',
        version: 1,
      });
      const audit = await t.ds.query<object[]>(
        `SELECT entity, action FROM audit_log WHERE entity_id = $1`,
        [res.body.id],
      );
      expect(audit).toEqual([{ entity: 'count_claims', action: 'create' }]);
    });

    it('reads the founding claims: at least 304 as a bound, 350–1,500 as estimates attributed to Reuters', async () => {
      const amnesty = await t.http().get(`/api/claims/${SEED.claims.amnesty304}`).expect(200);
      expect(amnesty.body).toMatchObject({
        interval: { low: 304, high: null, lowInclusive: true, kind: 'bound', text: 'at least 304' },
        attributedSource: { id: SEED.sources.amnesty },
        location: { id: PLACES.iran },
      });
      const range = await t.http().get(`/api/claims/${SEED.claims.reutersRange}`).expect(200);
      expect(range.body).toMatchObject({
        qualifier: 'estimates_range',
        interval: { low: 350, high: 1500, kind: 'estimate', text: 'estimates from 350 to 1,500' },
        source: { id: SEED.sources.jointStatement },
        attributedSource: { id: SEED.sources.reuters, publisher: 'Reuters' },
      });
    });

    it.each([
      [
        'exact as best',
        { qualifier: 'exact', low: undefined, best: 230 },
        { low: 230, high: 230, best: 230, kind: 'bound', text: 'exactly 230' },
      ],
      [
        'exact as equal low and high',
        { qualifier: 'exact', low: 230, high: 230 },
        { low: 230, high: 230, best: 230, kind: 'bound' },
      ],
      [
        'more_than',
        { qualifier: 'more_than', low: 1500 },
        { low: 1500, lowInclusive: false, high: null, kind: 'bound', text: 'more than 1,500' },
      ],
      [
        'about',
        { qualifier: 'about', low: undefined, best: 1500 },
        { low: null, high: null, best: 1500, kind: 'estimate', text: 'about 1,500' },
      ],
      [
        'at_most',
        { qualifier: 'at_most', low: undefined, high: 200 },
        { low: 0, high: 200, highInclusive: true, kind: 'bound', text: 'at most 200' },
      ],
      [
        'up_to',
        { qualifier: 'up_to', low: undefined, high: 200 },
        { high: 200, text: 'up to 200' },
      ],
      [
        'between',
        { qualifier: 'between', low: 180, high: 450 },
        { low: 180, high: 450, kind: 'bound', text: 'between 180 and 450' },
      ],
      [
        'estimates_range',
        { qualifier: 'estimates_range', low: 350, high: 1500 },
        { low: 350, high: 1500, kind: 'estimate' },
      ],
      ['zero', { qualifier: 'exact', low: undefined, best: 0 }, { low: 0, high: 0 }],
    ])('accepts %s', async (_name, patch, interval) => {
      const res = await t.http().post('/api/claims').send(buildClaim(patch)).expect(201);
      expect(res.body.interval).toMatchObject(interval);
    });
  });

  describe('the figures must fit the qualifier', () => {
    it.each([
      [
        'between without high',
        { qualifier: 'between', low: 180 },
        'high',
        'qualifier between needs low and high',
      ],
      [
        'between without low',
        { qualifier: 'between', low: undefined, high: 450 },
        'low',
        'qualifier between needs low and high',
      ],
      [
        'estimates_range without high',
        { qualifier: 'estimates_range', low: 350 },
        'high',
        'qualifier estimates_range needs low and high',
      ],
      [
        'at_least without low',
        { qualifier: 'at_least', low: undefined },
        'low',
        'qualifier at_least needs low',
      ],
      [
        'more_than without low',
        { qualifier: 'more_than', low: null },
        'low',
        'qualifier more_than needs low',
      ],
      [
        'about without best',
        { qualifier: 'about', low: undefined },
        'best',
        'qualifier about needs best',
      ],
      [
        'at_most without high',
        { qualifier: 'at_most', low: undefined },
        'high',
        'qualifier at_most needs high',
      ],
      [
        'up_to without high',
        { qualifier: 'up_to', low: undefined },
        'high',
        'qualifier up_to needs high',
      ],
      [
        'exact without a value',
        { qualifier: 'exact', low: undefined },
        'best',
        'qualifier exact needs best (or equal low and high)',
      ],
      [
        'exact with only low',
        { qualifier: 'exact', low: 230 },
        'best',
        'qualifier exact needs best',
      ],
      [
        'an inverted between',
        { qualifier: 'between', low: 450, high: 180 },
        'high',
        'must not be below low',
      ],
      [
        'exact with values that disagree',
        { qualifier: 'exact', low: 230, best: 240 },
        'high',
        'must agree',
      ],
      [
        'at_least with a high as well',
        { qualifier: 'at_least', low: 304, high: 1500 },
        'high',
        'must be empty',
      ],
      [
        'about with a low as well',
        { qualifier: 'about', low: 100, best: 1500 },
        'low',
        'must be empty',
      ],
      ['a negative count', { low: -1 }, 'low', 'must be at least 0'],
      ['a fractional count', { low: 3.5 }, 'low', 'must be a whole number'],
      ['a count as text', { low: '304' }, 'low', 'must be a whole number'],
    ])('rejects %s with 400 and writes nothing', async (_name, patch, field, reason) => {
      const before = await written();
      const res = await t.http().post('/api/claims').send(buildClaim(patch)).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'validation' });
      const problem = (res.body.errors as Problem[]).find((e) => e.field === field);
      expect(problem?.reason).toContain(reason);
      expect(await written()).toEqual(before);
    });
  });

  describe('list', () => {
    let inMahshahr: string;
    let inTehran: string;
    beforeAll(async () => {
      inMahshahr = (
        await createClaim(t.ds, {
          locationId: PLACES.mahshahr,
          low: 20,
          publishedDate: '2020-01-10',
        })
      ).id;
      inTehran = (
        await createClaim(t.ds, {
          locationId: PLACES.tehranCity,
          category: 'injured',
          qualifier: 'about',
          low: null,
          best: 2000,
          sourceId: SEED.sources.reuters,
        })
      ).id;
    });
    const ids = async (query: Record<string, string | number>) =>
      (
        (
          await t
            .http()
            .get('/api/claims')
            .query({ limit: 200, ...query })
            .expect(200)
        ).body.items as { id: string }[]
      ).map((i) => i.id);

    it('filters by category', async () => {
      expect(await ids({ category: 'detained' })).toEqual([SEED.claims.detainedThousands]);
      expect(await ids({ category: 'injured' })).toEqual([inTehran]);
    });

    it('filters by place, including everything inside it', async () => {
      const khuzestan = await ids({ location: 'Khuzestan' });
      expect(khuzestan).toContain(inMahshahr);
      expect(khuzestan).not.toContain(inTehran);
      expect(khuzestan).not.toContain(SEED.claims.amnesty304);
      expect(await ids({ location: 'Iran' })).toEqual(
        expect.arrayContaining([inMahshahr, inTehran, SEED.claims.amnesty304]),
      );
    });

    it('reads a name shared by a province and its capital as the province, as victims do, and says so', async () => {
      const res = await t.http().get('/api/claims').query({ location: 'Tehran', limit: 200 });
      expect(res.status).toBe(200);
      const got = (res.body.items as { id: string }[]).map((i) => i.id);
      expect(got).toContain(inTehran);
      expect(got).not.toContain(inMahshahr);
      expect(res.body.location).toMatchObject({
        kind: 'province',
        nameEn: 'Tehran',
        resolvedAs: 'containing',
      });
      expect(res.body.location.note).toContain(PLACES.tehranCity);
      expect(res.body.location.alternatives).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: PLACES.tehranCity, kind: 'city' })]),
      );
      // The city's id narrows it; the same answer as GET /api/victims gives for the name.
      const city = await t
        .http()
        .get('/api/claims')
        .query({ location: PLACES.tehranCity })
        .expect(200);
      expect(city.body.location).toEqual({
        id: PLACES.tehranCity,
        kind: 'city',
        nameEn: 'Tehran',
        nameFa: 'تهران',
      });
      const victims = await t
        .http()
        .get('/api/victims')
        .query({ location: 'Tehran', limit: 1 })
        .expect(200);
      expect(victims.body.location).toEqual(res.body.location);
    });

    it('filters by source, carrying or credited', async () => {
      const reuters = await ids({ source: SEED.sources.reuters });
      expect(reuters.sort()).toEqual([SEED.claims.reutersRange, inTehran].sort());
    });

    it('filters by qualifier and status, with pagination', async () => {
      const ranges = await t
        .http()
        .get('/api/claims')
        .query({ qualifier: 'estimates_range', limit: 200 })
        .expect(200);
      expect(ranges.body.items.map((i: { id: string }) => i.id)).toContain(
        SEED.claims.reutersRange,
      );
      expect(
        ranges.body.items.every((i: { qualifier: string }) => i.qualifier === 'estimates_range'),
      ).toBe(true);
      expect((await ids({ status: 'submitted' })).sort()).toEqual(
        Object.values(SEED.claims).sort(),
      );
      const page = await t.http().get('/api/claims').query({ limit: 2, offset: 1 }).expect(200);
      expect(page.body).toMatchObject({ limit: 2, offset: 1 });
      expect(page.body.items).toHaveLength(2);
      expect(page.body.total).toBeGreaterThanOrEqual(5);
    });

    it.each([
      ['an unknown category', { category: 'wounded' }, 'category', 'validation'],
      ['an unknown qualifier', { qualifier: 'roughly' }, 'qualifier', 'validation'],
      ['a bad source UUID', { source: 'reuters' }, 'source', 'validation'],
      ['an ambiguous place', { location: 'Golestan' }, 'location', 'ambiguous'],
      ['an unknown status', { status: 'gone' }, 'status', 'validation'],
      ['an oversized page', { limit: 1000 }, 'limit', 'validation'],
    ])('answers %s with 400', async (_name, query, field, code) => {
      const res = await t.http().get('/api/claims').query(query).expect(400);
      expect(res.body.code).toBe(code);
      expect(fields(res.body)).toContain(field);
    });

    it('shows viewers verified claims only, and never one carried by a restricted source', async () => {
      const { body: secret } = await t
        .http()
        .post('/api/sources')
        .send(buildSource({ restricted: true }))
        .expect(201);
      const hidden = await createClaim(t.ds, { sourceId: secret.id, status: 'verified' });
      const shown = await createClaim(t.ds, { status: 'verified' });
      const viewer = (
        (await t.as('viewer').get('/api/claims').query({ limit: 200 }).expect(200)).body.items as {
          id: string;
        }[]
      ).map((i) => i.id);
      expect(viewer).toEqual([shown.id]);
      await t.as('viewer').get(`/api/claims/${hidden.id}`).expect(404);
      await t.as('viewer').get(`/api/claims/${SEED.claims.amnesty304}`).expect(404);
      await t.as('researcher').get(`/api/claims/${hidden.id}`).expect(200);
      const viewed = await t.as('viewer').get(`/api/claims/${shown.id}`).expect(200);
      expect(viewed.body).not.toHaveProperty('internalNotes');
    });
  });

  describe('relays', () => {
    it('records a relay of another claim and shows it on the origin', async () => {
      const res = await t
        .http()
        .post('/api/claims')
        .send(
          buildClaim({
            sourceId: SEED.sources.reuters,
            relaysClaimId: SEED.claims.amnesty304,
            low: 304,
            location: 'Iran',
          }),
        )
        .expect(201);
      expect(res.body.relaysClaimId).toBe(SEED.claims.amnesty304);
      const origin = await t.http().get(`/api/claims/${SEED.claims.amnesty304}`).expect(200);
      expect(origin.body.relayedBy).toEqual([res.body.id]);
      const refused = await t
        .http()
        .delete(`/api/claims/${SEED.claims.amnesty304}?version=1`)
        .expect(409);
      expect(refused.body).toMatchObject({ code: 'conflict', relayedBy: [res.body.id] });
      await t.http().get(`/api/claims/${SEED.claims.amnesty304}`).expect(200);
    });

    it('refuses a relay of a figure about another category', async () => {
      const res = await t
        .http()
        .post('/api/claims')
        .send(buildClaim({ relaysClaimId: SEED.claims.detainedThousands }))
        .expect(422);
      expect(fields(res.body)).toEqual(['relaysClaimId']);
    });

    it('refuses a relay loop, direct or through others', async () => {
      const a = await createClaim(t.ds);
      const b = await createClaim(t.ds, { relaysClaimId: a.id });
      const c = await createClaim(t.ds, { relaysClaimId: b.id });
      const loop = await t
        .http()
        .patch(`/api/claims/${a.id}`)
        .send({ version: 1, relaysClaimId: c.id })
        .expect(422);
      expect(loop.body.errors[0]).toMatchObject({ field: 'relaysClaimId' });
      expect(loop.body.errors[0].reason).toContain('loop');
      const self = await t
        .http()
        .patch(`/api/claims/${a.id}`)
        .send({ version: 1, relaysClaimId: a.id })
        .expect(422);
      expect(fields(self.body)).toEqual(['relaysClaimId']);
      const after = await t.http().get(`/api/claims/${a.id}`).expect(200);
      expect(after.body).toMatchObject({ relaysClaimId: null, version: 1 });
    });

    it('refuses to change the category of a relayed figure', async () => {
      const a = await createClaim(t.ds);
      await createClaim(t.ds, { relaysClaimId: a.id });
      const res = await t
        .http()
        .patch(`/api/claims/${a.id}`)
        .send({ version: 1, category: 'injured' })
        .expect(422);
      expect(fields(res.body)).toEqual(['category']);
    });
  });

  describe('update', () => {
    it('re-checks the figures against the qualifier, and refuses a stale version', async () => {
      const { body: c } = await t
        .http()
        .post('/api/claims')
        .send(buildClaim({ low: 10 }))
        .expect(201);
      const between = await t
        .http()
        .patch(`/api/claims/${c.id}`)
        .send({ version: 1, qualifier: 'between', high: 40 })
        .expect(200);
      expect(between.body).toMatchObject({
        version: 2,
        interval: { low: 10, high: 40, text: 'between 10 and 40' },
      });
      const halfway = await t
        .http()
        .patch(`/api/claims/${c.id}`)
        .send({ version: 2, qualifier: 'about' })
        .expect(400);
      expect(halfway.body.errors[0]).toMatchObject({
        field: 'best',
        reason: 'qualifier about needs best',
      });
      const about = await t
        .http()
        .patch(`/api/claims/${c.id}`)
        .send({
          version: 2,
          qualifier: 'about',
          low: null,
          high: null,
          best: 25,
          location: 'Ahvaz',
          date: 'Aban 1398',
          publishedDate: '2020-06-01',
        })
        .expect(200);
      expect(about.body).toMatchObject({
        version: 3,
        interval: { best: 25, kind: 'estimate' },
        location: { id: PLACES.ahvaz },
        date: {
          gregorian: { from: '2019-10-23', to: '2019-11-21' },
          jalali: { label: 'Aban 1398' },
        },
        publishedDate: { gregorian: { from: '2020-06-01' } },
      });
      const stale = await t
        .http()
        .patch(`/api/claims/${c.id}`)
        .send({ version: 2, best: 30 })
        .expect(409);
      expect(stale.body).toMatchObject({ code: 'version_conflict', currentVersion: 3 });
      const audit = await t.ds.query<{ action: string }[]>(
        `SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`,
        [c.id],
      );
      expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'update']);
    });

    it.each([
      ['a cleared source', { sourceId: null }, 'sourceId', 400],
      ['a cleared qualifier', { qualifier: null }, 'qualifier', 400],
      ['an unknown source', { sourceId: MISSING }, 'sourceId', 422],
      ['an unknown incident', { incidentId: MISSING }, 'incidentId', 422],
      ['an unknown location id', { location: MISSING }, 'location', 422],
      [
        'the own source as attribution',
        { attributedSourceId: SEED.sources.amnesty },
        'attributedSourceId',
        422,
      ],
      ['a status (a workflow step)', { status: 'verified' }, 'status', 400],
      ['a month as publication date', { publishedDate: '2020-05' }, 'publishedDate', 400],
    ])('refuses %s, changing nothing', async (_name, patch, field, status) => {
      const c = await createClaim(t.ds);
      const res = await t
        .http()
        .patch(`/api/claims/${c.id}`)
        .send({ version: 1, ...patch })
        .expect(status);
      expect(fields(res.body)).toContain(field);
      const after = await t.http().get(`/api/claims/${c.id}`).expect(200);
      expect(after.body).toMatchObject({ version: 1, source: { id: SEED.sources.amnesty } });
    });
  });

  describe('delete', () => {
    it('deletes a claim nothing relays, with its version', async () => {
      const c = await createClaim(t.ds, { createdBy: t.users.researcher.id });
      await t.http().delete(`/api/claims/${c.id}?version=2`).expect(409);
      await t.as('researcher').delete(`/api/claims/${c.id}?version=1`).expect(204);
      await t.http().get(`/api/claims/${c.id}`).expect(404);
      const audit = await t.ds.query<object[]>(
        `SELECT action FROM audit_log WHERE entity_id = $1`,
        [c.id],
      );
      expect(audit).toEqual([{ action: 'delete' }]);
    });

    it('refuses a viewer', async () => {
      const c = await createClaim(t.ds);
      await t.as('viewer').delete(`/api/claims/${c.id}?version=1`).expect(403);
    });
  });

  describe('bad input', () => {
    it.each([
      ['no source', { sourceId: undefined }, 'sourceId'],
      ['a bad source UUID', { sourceId: 'amnesty' }, 'sourceId'],
      ['an unknown category', { category: 'wounded' }, 'category'],
      ['an unknown qualifier', { qualifier: 'roughly' }, 'qualifier'],
      ['an unknown basis', { basis: 'rumour' }, 'basis'],
      ['an unknown population', { population: 'students' }, 'population'],
      ['an out-of-range credibility', { credibility: 0 }, 'credibility'],
      ['a credibility of 7', { credibility: 7 }, 'credibility'],
      ['an unknown field', { margin: 5 }, 'margin'],
      ['an impossible date', { date: '1398-12-30', dateCalendar: 'jalali' }, 'date'],
      ['an inverted date window', { date: '2019-11-19..2019-11-15' }, 'date'],
      ['a month as publication date', { publishedDate: 'May 2020' }, 'publishedDate'],
      ['an unknown place', { location: 'Atlantis' }, 'location'],
      ['an ambiguous place', { location: 'Tehran' }, 'location'],
      ['an empty place', { location: '' }, 'location'],
      ['a status (always draft on creation)', { status: 'verified' }, 'status'],
    ])('rejects %s with 400 naming the field and writes nothing', async (_name, patch, field) => {
      const before = await written();
      const res = await t.http().post('/api/claims').send(buildClaim(patch)).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(fields(res.body)).toContain(field);
      expect(await written()).toEqual(before);
    });

    it.each([
      ['an unknown source', { sourceId: MISSING }, 'sourceId'],
      ['an unknown attributed source', { attributedSourceId: MISSING }, 'attributedSourceId'],
      ['an unknown relayed claim', { relaysClaimId: MISSING }, 'relaysClaimId'],
      ['an unknown incident', { incidentId: MISSING }, 'incidentId'],
      ['an unknown location id', { location: MISSING }, 'location'],
      [
        'the own source as attribution',
        { attributedSourceId: SEED.sources.amnesty },
        'attributedSourceId',
      ],
    ])('rejects %s with 422 naming the field and writes nothing', async (_name, patch, field) => {
      const before = await written();
      const res = await t.http().post('/api/claims').send(buildClaim(patch)).expect(422);
      expect(res.body).toMatchObject({ statusCode: 422, code: 'unprocessable' });
      expect(fields(res.body)).toEqual([field]);
      expect(await written()).toEqual(before);
    });

    it('names every unknown reference at once', async () => {
      const res = await t
        .http()
        .post('/api/claims')
        .send(buildClaim({ sourceId: MISSING, incidentId: MISSING }))
        .expect(422);
      expect(fields(res.body)).toEqual(['sourceId', 'incidentId']);
    });

    it('answers a bad UUID with 400, an unknown id with 404, a missing version with 400', async () => {
      const bad = await t.http().get('/api/claims/304').expect(400);
      expect(fields(bad.body)).toEqual(['id']);
      const missing = await t.http().get(`/api/claims/${MISSING}`).expect(404);
      expect(missing.body.code).toBe('not_found');
      await t.http().patch(`/api/claims/${MISSING}`).send({ version: 1, low: 5 }).expect(404);
      const noVersion = await t
        .http()
        .patch(`/api/claims/${SEED.claims.amnesty304}`)
        .send({ low: 305 })
        .expect(400);
      expect(fields(noVersion.body)).toContain('version');
    });

    it('accepts a claim scoped to an incident that exists', async () => {
      const inc = await createIncident(t.ds);
      const res = await t
        .http()
        .post('/api/claims')
        .send(buildClaim({ incidentId: inc.id }))
        .expect(201);
      expect(res.body.incidentId).toBe(inc.id);
    });
  });
});
