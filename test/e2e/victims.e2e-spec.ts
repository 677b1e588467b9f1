import { SEED } from '../../seed/seed.js';
import { createSource } from '../factories/index.js';
import { abanVictim, buildVictim } from '../factories/victims.js';
import { createTestApp, type TestApp } from '../setup/app.js';

const MISSING = '00000000-0000-4000-8000-000000000000';
const { amnesty, reuters, jointStatement } = SEED.sources;

interface Counts {
  victims: number;
  attestations: number;
  audit: number;
}

describe('victims', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const counts = async (): Promise<Counts> =>
    (
      await t.ds.query<Counts[]>(
        `SELECT (SELECT count(*)::int FROM victims) AS victims, (SELECT count(*)::int FROM attestations) AS attestations,
                (SELECT count(*)::int FROM audit_log) AS audit`,
      )
    )[0];
  const fields = (body: { errors: { field: string }[] }): string[] =>
    body.errors.map((e) => e.field);
  const publish = (id: string): Promise<unknown> =>
    t.ds.query(`UPDATE victims SET status = 'verified' WHERE id = $1`, [id]);

  describe('create and read', () => {
    it('creates a victim with its attestation in one request, the Jalali date in both calendars', async () => {
      const res = await t
        .http()
        .post('/api/victims')
        .send(abanVictim('mehranTak', amnesty))
        .expect(201);
      expect(res.body).toMatchObject({
        nameFa: 'مهران تاک',
        nameEn: 'Mehran Tak',
        age: 31,
        ageBand: '25-34',
        gender: 'male',
        harm: 'killed',
        status: 'draft',
        confidence: 'probable',
        mergedInto: null,
        version: 1,
        dateCalendar: 'jalali',
        date: {
          precision: 'day',
          gregorian: { from: '2019-11-16', to: '2019-11-16', label: '2019-11-16' },
          jalali: { from: '1398-08-25', to: '1398-08-25', labelFa: '۱۳۹۸/۰۸/۲۵' },
          original: '1398/08/25',
        },
        location: { kind: 'city', nameEn: 'Marivan', nameFa: 'مریوان' },
        placeOriginal: 'مریوان',
        mergedFrom: [],
      });
      expect(res.body.attestations).toEqual([
        expect.objectContaining({
          sourceId: amnesty,
          victimId: res.body.id,
          credibility: 2,
          locator: 'aban1398-victims.csv',
          source: expect.objectContaining({
            id: amnesty,
            publisher: 'Amnesty International',
            reliability: 'B',
          }),
        }),
      ]);
      const got = await t.http().get(`/api/victims/${res.body.id}`).expect(200);
      expect(got.body).toEqual(res.body);
      const row = await t.ds.query<
        {
          name_search: string;
          date_original: string;
          created_by: string;
        }[]
      >(`SELECT name_search, date_original, created_by FROM victims WHERE id = $1`, [res.body.id]);
      expect(row[0].name_search.split(' ')).toEqual(
        expect.arrayContaining(['mehran', 'tak', 'مهران', 'تاک', 'مهرنتک']),
      );
      expect(row[0]).toMatchObject({ date_original: '1398/08/25', created_by: t.users.admin.id });
    });

    it('reads a place typed with Arabic letters and a Persian month name, and keeps both as typed', async () => {
      const res = await t
        .http()
        .post('/api/victims')
        .send(abanVictim('mehranTakBoroumand', amnesty))
        .expect(201);
      expect(res.body).toMatchObject({
        location: { nameEn: 'Marivan' },
        placeOriginal: 'مريوان',
        dateCalendar: 'jalali',
        date: { gregorian: { from: '2019-11-16', to: '2019-11-16' }, original: '۲۵ آبان ۱۳۹۸' },
      });
    });

    it('derives the age band from an age range when both ends fall in one band, and keeps a partial date window', async () => {
      const res = await t
        .http()
        .post('/api/victims')
        .send(
          buildVictim(amnesty, { ageMin: 13, ageMax: 16, date: 'between 15 and 19 November 2019' }),
        )
        .expect(201);
      expect(res.body).toMatchObject({ age: null, ageMin: 13, ageMax: 16, ageBand: '12-17' });
      expect(res.body.date).toMatchObject({
        precision: 'range',
        gregorian: { from: '2019-11-15', to: '2019-11-19' },
        jalali: { from: '1398-08-24', to: '1398-08-28' },
      });
    });

    it('derives confidence from the attestations: two independent origins graded B/2 confirm', async () => {
      const res = await t
        .http()
        .post('/api/victims')
        .send(
          buildVictim(amnesty, {
            attestations: [
              { sourceId: amnesty, credibility: 2 },
              { sourceId: reuters, credibility: 2, assertedFields: ['nameFa', 'date'] },
            ],
          }),
        )
        .expect(201);
      expect(res.body.confidence).toBe('confirmed');
      expect(res.body.attestations).toHaveLength(2);
    });

    it('counts a relay as its origin: Amnesty plus the statement relaying Amnesty is one origin, not two', async () => {
      const res = await t
        .http()
        .post('/api/victims')
        .send(
          buildVictim(amnesty, {
            attestations: [
              { sourceId: amnesty, credibility: 2 },
              { sourceId: jointStatement, credibility: 1 },
            ],
          }),
        )
        .expect(201);
      expect(res.body.confidence).toBe('probable');
    });

    it('shows restricted fields and restricted sources to researchers only', async () => {
      const secret = await createSource(t.ds, {
        title: 'Witness testimony W-17',
        kind: 'testimony',
        restricted: true,
        reliability: 'C',
      });
      const { body: v } = await t
        .http()
        .post('/api/victims')
        .send(
          buildVictim(amnesty, {
            witnessNames: 'برادرش',
            familyContact: '+98 912 000 0000',
            internalNotes: 'cross-check with hospital list',
            attestations: [
              { sourceId: amnesty, credibility: 2 },
              { sourceId: secret.id, credibility: 3 },
            ],
          }),
        )
        .expect(201);
      await publish(v.id);
      const researcher = await t.as('researcher').get(`/api/victims/${v.id}`).expect(200);
      expect(researcher.body).toMatchObject({
        witnessNames: 'برادرش',
        familyContact: '+98 912 000 0000',
        internalNotes: 'cross-check with hospital list',
      });
      expect(
        researcher.body.attestations.map((a: { sourceId: string }) => a.sourceId).sort(),
      ).toEqual([amnesty, secret.id].sort());

      const viewer = await t.as('viewer').get(`/api/victims/${v.id}`).expect(200);
      expect(viewer.body).not.toHaveProperty('witnessNames');
      expect(viewer.body).not.toHaveProperty('familyContact');
      expect(viewer.body).not.toHaveProperty('internalNotes');
      expect(viewer.body.attestations.map((a: { sourceId: string }) => a.sourceId)).toEqual([
        amnesty,
      ]);
    });

    it('hides unverified records from viewers', async () => {
      const { body: v } = await t
        .http()
        .post('/api/victims')
        .send(buildVictim(amnesty))
        .expect(201);
      const res = await t.as('viewer').get(`/api/victims/${v.id}`).expect(404);
      expect(res.body.code).toBe('not_found');
    });

    it('documents its routes in OpenAPI', async () => {
      const res = await t.anon().get('/api/docs-json').expect(200);
      const paths = res.body.paths as Record<string, Record<string, unknown>>;
      for (const path of [
        '/api/victims',
        '/api/victims/{id}',
        '/api/victims/{id}/merge',
        '/api/victims/{id}/unmerge',
        '/api/victims/{id}/duplicates',
        '/api/attestations',
        '/api/attestations/{id}',
      ]) {
        expect(paths).toHaveProperty([path]);
      }
      expect(Object.keys(paths['/api/victims'])).toEqual(expect.arrayContaining(['get', 'post']));
      const query = (
        paths['/api/victims'].get as { parameters: { name: string }[] }
      ).parameters.map((p) => p.name);
      expect(query).toEqual(
        expect.arrayContaining([
          'location',
          'from',
          'to',
          'calendar',
          'dateMatch',
          'q',
          'sort',
          'cursor',
          'limit',
        ]),
      );
    });

    it('publishes the confidence rule', async () => {
      const res = await t.as('viewer').get('/api/victims/confidence-rule').expect(200);
      expect(res.body.levels).toEqual(['confirmed', 'probable', 'possible', 'unattested']);
      expect(res.body.rule.join(' ')).toContain('independent origins');
    });
  });

  describe('bad input on create: a 4xx naming the field, nothing written', () => {
    it.each([
      ['a wrong type', { age: 'thirty' }, 'age'],
      ['a confidence typed in', { confidence: 'confirmed' }, 'confidence'],
      ['a status typed in', { status: 'verified' }, 'status'],
      ['an unknown field', { colour: 'red' }, 'colour'],
      ['an out-of-range age', { age: 131 }, 'age'],
      ['an unknown harm', { harm: 'wounded' }, 'harm'],
      ['no harm', { harm: undefined }, 'harm'],
      ['an inverted age range', { ageMin: 40, ageMax: 30 }, 'ageMax'],
      ['an age and an age range', { age: 30, ageMin: 25 }, 'age'],
      ['an age band that does not hold the age', { age: 31, ageBand: '12-17' }, 'ageBand'],
      ['an inverted date range', { date: '2019-11-19/2019-11-15' }, 'date'],
      ['an impossible Jalali date', { date: '1398-13-40', dateCalendar: 'jalali' }, 'date'],
      ['Solar Hijri digits without their calendar', { date: '1398-08-25' }, 'date'],
      ['an unknown calendar', { date: '2019-11-16', dateCalendar: 'lunar' }, 'dateCalendar'],
      ['an unknown place', { location: 'Atlantis' }, 'location'],
      ['an ambiguous place', { location: 'Kermanshah' }, 'location'],
      ['a bad incident id', { incidentId: 'not-a-uuid' }, 'incidentId'],
      ['no attestations', { attestations: undefined }, 'attestations'],
      ['an empty attestation list', { attestations: [] }, 'attestations'],
      ['attestations that are not a list', { attestations: 'Amnesty' }, 'attestations'],
      [
        'an out-of-range credibility',
        { attestations: [{ sourceId: amnesty, credibility: 7 }] },
        'attestations[0].credibility',
      ],
      [
        'a bad source id',
        { attestations: [{ sourceId: 'amnesty', credibility: 2 }] },
        'attestations[0].sourceId',
      ],
      [
        'an unknown field in an attestation',
        { attestations: [{ sourceId: amnesty, credibility: 2, grade: 'A1' }] },
        'attestations[0].grade',
      ],
      ['a bad name variant', { nameVariants: [42] }, 'nameVariants'],
    ])('rejects %s with 400', async (_name, patch, field) => {
      const before = await counts();
      const res = await t.http().post('/api/victims').send(buildVictim(amnesty, patch)).expect(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        code: expect.stringMatching(/^(validation|ambiguous)$/),
      });
      expect(fields(res.body)).toContain(field);
      expect(await counts()).toEqual(before);
    });

    it('lists the candidates of an ambiguous place with their parents', async () => {
      const res = await t
        .http()
        .post('/api/victims')
        .send(buildVictim(amnesty, { location: 'کرمانشاه' }))
        .expect(400);
      expect(res.body.code).toBe('ambiguous');
      expect(res.body.candidates.map((c: { kind: string }) => c.kind).sort()).toEqual([
        'city',
        'province',
      ]);
    });

    it('rejects an unknown source with 422 and writes neither the victim nor any attestation', async () => {
      const before = await counts();
      const res = await t
        .http()
        .post('/api/victims')
        .send(
          buildVictim(amnesty, {
            attestations: [
              { sourceId: amnesty, credibility: 2 },
              { sourceId: MISSING, credibility: 2 },
            ],
          }),
        )
        .expect(422);
      expect(res.body).toMatchObject({
        code: 'unprocessable',
        errors: [{ field: 'attestations[1].sourceId', reason: `no source with id ${MISSING}` }],
      });
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['incident', { incidentId: MISSING }, 'incidentId'],
      ['place id', { location: MISSING }, 'location'],
    ])('rejects an unknown %s with 422 and writes nothing', async (_name, patch, field) => {
      const before = await counts();
      const res = await t.http().post('/api/victims').send(buildVictim(amnesty, patch)).expect(422);
      expect(res.body.code).toBe('unprocessable');
      expect(fields(res.body)).toEqual([field]);
      expect(await counts()).toEqual(before);
    });

    it('answers malformed JSON with 400', async () => {
      const res = await t
        .http()
        .post('/api/victims')
        .set('Content-Type', 'application/json')
        .send('{"harm": "killed",')
        .expect(400);
      expect(res.body.errors[0]).toMatchObject({ field: 'body', reason: 'malformed JSON' });
    });

    it('answers a bad UUID in the path with 400 and an unknown id with 404', async () => {
      const bad = await t.http().get('/api/victims/123').expect(400);
      expect(fields(bad.body)).toEqual(['id']);
      const missing = await t.http().get(`/api/victims/${MISSING}`).expect(404);
      expect(missing.body.code).toBe('not_found');
    });

    it('lets only researchers and above create', async () => {
      const before = await counts();
      const res = await t.as('viewer').post('/api/victims').send(buildVictim(amnesty)).expect(403);
      expect(res.body.code).toBe('forbidden');
      expect(await counts()).toEqual(before);
    });
  });

  describe('update and delete', () => {
    it('updates with the current version, re-reads dates and names, and audits before and after', async () => {
      const { body: v } = await t
        .http()
        .post('/api/victims')
        .send(abanVictim('pedramJafari', amnesty))
        .expect(201);
      const res = await t
        .http()
        .patch(`/api/victims/${v.id}`)
        .send({
          version: 1,
          date: '۲۶ آبان ۱۳۹۸',
          nameVariants: ['Pedram Jafari'],
          cause: 'gunshot_chest',
          age: null,
        })
        .expect(200);
      expect(res.body).toMatchObject({
        version: 2,
        cause: 'gunshot_chest',
        age: null,
        ageBand: null,
        nameVariants: ['Pedram Jafari'],
        date: {
          gregorian: { from: '2019-11-17' },
          jalali: { from: '1398-08-26' },
          original: '۲۶ آبان ۱۳۹۸',
        },
        confidence: 'probable',
      });
      const audit = await t.ds.query<
        {
          action: string;
          before: { dateFrom: string } | null;
          after: { dateFrom: string };
        }[]
      >(`SELECT action, before, after FROM audit_log WHERE entity_id = $1 ORDER BY id`, [v.id]);
      expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
      expect(audit[1].before!.dateFrom).toBe('2019-11-16');
      expect(audit[1].after.dateFrom).toBe('2019-11-17');
    });

    it('refuses a stale version with 409 and changes nothing', async () => {
      const { body: v } = await t
        .http()
        .post('/api/victims')
        .send(buildVictim(amnesty))
        .expect(201);
      await t
        .http()
        .patch(`/api/victims/${v.id}`)
        .send({ version: 1, occupation: 'worker' })
        .expect(200);
      const stale = await t
        .http()
        .patch(`/api/victims/${v.id}`)
        .send({ version: 1, occupation: 'student' })
        .expect(409);
      expect(stale.body).toMatchObject({ code: 'version_conflict', currentVersion: 2 });
      const got = await t.http().get(`/api/victims/${v.id}`).expect(200);
      expect(got.body).toMatchObject({ occupation: 'worker', version: 2 });
    });

    it.each([
      ['no version', { occupation: 'x' }, 'version', 400],
      ['a cleared harm', { version: 1, harm: null }, 'harm', 400],
      ['a confidence', { version: 1, confidence: 'confirmed' }, 'confidence', 400],
      [
        'attestations (they have their own endpoints)',
        { version: 1, attestations: [] },
        'attestations',
        400,
      ],
      ['an impossible date', { version: 1, date: '2019-02-30' }, 'date', 400],
      ['an unknown place', { version: 1, location: 'Atlantis' }, 'location', 400],
      ['an unknown incident', { version: 1, incidentId: MISSING }, 'incidentId', 422],
    ])('rejects an update with %s, changing nothing', async (_name, patch, field, status) => {
      const { body: v } = await t
        .http()
        .post('/api/victims')
        .send(buildVictim(amnesty))
        .expect(201);
      const res = await t.http().patch(`/api/victims/${v.id}`).send(patch).expect(status);
      expect(fields(res.body)).toContain(field);
      const got = await t.http().get(`/api/victims/${v.id}`).expect(200);
      expect(got.body).toEqual(v);
    });

    it('lets only admins delete; the attestations go with the record', async () => {
      const { body: v } = await t
        .http()
        .post('/api/victims')
        .send(buildVictim(amnesty))
        .expect(201);
      const refused = await t.as('reviewer').delete(`/api/victims/${v.id}?version=1`).expect(403);
      expect(refused.body.code).toBe('forbidden');
      const stale = await t.http().delete(`/api/victims/${v.id}?version=2`).expect(409);
      expect(stale.body.code).toBe('version_conflict');
      await t.http().delete(`/api/victims/${v.id}?version=1`).expect(204);
      await t.http().get(`/api/victims/${v.id}`).expect(404);
      const left = await t.ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM attestations WHERE victim_id = $1`,
        [v.id],
      );
      expect(left[0].n).toBe(0);
      const audit = await t.ds.query<{ entity: string; action: string }[]>(
        `SELECT entity, action FROM audit_log WHERE action = 'delete' AND (entity_id = $1 OR entity_id = $2)`,
        [v.id, v.attestations[0].id],
      );
      expect(audit).toEqual(
        expect.arrayContaining([
          { entity: 'victims', action: 'delete' },
          { entity: 'attestations', action: 'delete' },
        ]),
      );
    });
  });

  describe('merge and unmerge', () => {
    it('merges a duplicate: both attestations kept, the target counted once with the confidence of both', async () => {
      const { body: a } = await t
        .http()
        .post('/api/victims')
        .send(abanVictim('mehranTak', amnesty))
        .expect(201);
      const { body: b } = await t
        .http()
        .post('/api/victims')
        .send(abanVictim('mehranTakBoroumand', reuters))
        .expect(201);
      expect([a.confidence, b.confidence]).toEqual(['probable', 'probable']);

      const res = await t
        .as('reviewer')
        .post(`/api/victims/${b.id}/merge`)
        .send({ into: a.id, version: 1, reason: 'تک / تاک: same man, same day, Marivan' })
        .expect(200);
      expect(res.body.victim).toMatchObject({
        id: b.id,
        mergedInto: a.id,
        version: 2,
        confidence: 'probable',
      });
      expect(res.body.into).toMatchObject({
        id: a.id,
        mergedFrom: [b.id],
        confidence: 'confirmed',
        version: 1,
      });
      expect(
        res.body.into.attestations.map((x: { victimId: string }) => x.victimId).sort(),
      ).toEqual([a.id, b.id].sort());

      const list = await t.http().get('/api/victims?location=Marivan&limit=200').expect(200);
      const ids = list.body.items.map((i: { id: string }) => i.id);
      expect(ids).toContain(a.id);
      expect(ids).not.toContain(b.id);

      const back = await t
        .as('reviewer')
        .post(`/api/victims/${b.id}/unmerge`)
        .send({ version: 2, reason: 'different fathers in the second list' })
        .expect(200);
      expect(back.body.victim).toMatchObject({ id: b.id, mergedInto: null, version: 3 });
      expect(back.body.into).toMatchObject({ id: a.id, mergedFrom: [], confidence: 'probable' });
      expect(back.body.into.attestations).toHaveLength(1);

      const audit = await t.ds.query<
        {
          action: string;
          reason: string;
          actor_id: string;
        }[]
      >(`SELECT action, reason, actor_id FROM audit_log WHERE entity_id = $1 ORDER BY id`, [b.id]);
      expect(audit.filter((x) => x.action !== 'create')).toEqual([
        {
          action: 'merge',
          reason: 'تک / تاک: same man, same day, Marivan',
          actor_id: t.users.reviewer.id,
        },
        {
          action: 'unmerge',
          reason: 'different fathers in the second list',
          actor_id: t.users.reviewer.id,
        },
      ]);
    });

    it('counts the attestations of a whole merge chain in the final record', async () => {
      const mk = async (sourceId: string): Promise<{ id: string }> =>
        (await t.http().post('/api/victims').send(buildVictim(sourceId)).expect(201)).body as {
          id: string;
        };
      const [x, y, z] = [await mk(amnesty), await mk(amnesty), await mk(reuters)];
      await t
        .http()
        .post(`/api/victims/${x.id}/merge`)
        .send({ into: y.id, version: 1, reason: 'dup' })
        .expect(200);
      const res = await t
        .http()
        .post(`/api/victims/${y.id}/merge`)
        .send({ into: z.id, version: 1, reason: 'dup' })
        .expect(200);
      expect(res.body.into).toMatchObject({ confidence: 'confirmed', mergedFrom: [y.id] });
      expect(res.body.into.attestations).toHaveLength(3);
      const refused = await t.http().delete(`/api/victims/${z.id}?version=1`).expect(409);
      expect(refused.body.code).toBe('conflict');
    });

    it.each([
      ['into itself', (a: string) => ({ into: a, version: 1, reason: 'x' }), 422, 'into'],
      ['into an unknown record', () => ({ into: MISSING, version: 1, reason: 'x' }), 422, 'into'],
      [
        'with a stale version',
        (_a: string, b: string) => ({ into: b, version: 5, reason: 'x' }),
        409,
        'version',
      ],
      ['without a reason', (_a: string, b: string) => ({ into: b, version: 1 }), 400, 'reason'],
      ['with a bad target id', () => ({ into: 'b', version: 1, reason: 'x' }), 400, 'into'],
    ])('refuses a merge %s and changes nothing', async (_name, body, status, field) => {
      const { body: a } = await t
        .http()
        .post('/api/victims')
        .send(buildVictim(amnesty))
        .expect(201);
      const { body: b } = await t
        .http()
        .post('/api/victims')
        .send(buildVictim(amnesty))
        .expect(201);
      const res = await t
        .http()
        .post(`/api/victims/${a.id}/merge`)
        .send(body(a.id, b.id))
        .expect(status);
      expect(fields(res.body)).toContain(field);
      expect((await t.http().get(`/api/victims/${a.id}`).expect(200)).body).toEqual(a);
    });

    it('refuses to merge a merged record again, or into a merged record, and to unmerge a record never merged', async () => {
      const mk = async (): Promise<{ id: string }> =>
        (await t.http().post('/api/victims').send(buildVictim(amnesty)).expect(201)).body as {
          id: string;
        };
      const [a, b, c] = [await mk(), await mk(), await mk()];
      await t
        .http()
        .post(`/api/victims/${a.id}/merge`)
        .send({ into: b.id, version: 1, reason: 'dup' })
        .expect(200);
      const again = await t
        .http()
        .post(`/api/victims/${a.id}/merge`)
        .send({ into: c.id, version: 2, reason: 'dup' })
        .expect(409);
      expect(again.body.code).toBe('conflict');
      const intoMerged = await t
        .http()
        .post(`/api/victims/${c.id}/merge`)
        .send({ into: a.id, version: 1, reason: 'dup' })
        .expect(422);
      expect(fields(intoMerged.body)).toEqual(['into']);
      const cycle = await t
        .http()
        .post(`/api/victims/${b.id}/merge`)
        .send({ into: a.id, version: 1, reason: 'dup' })
        .expect(422);
      expect(fields(cycle.body)).toEqual(['into']);
      const never = await t
        .http()
        .post(`/api/victims/${c.id}/unmerge`)
        .send({ version: 1, reason: 'x' })
        .expect(409);
      expect(never.body.code).toBe('conflict');
      const missing = await t
        .http()
        .post(`/api/victims/${MISSING}/merge`)
        .send({ into: a.id, version: 1, reason: 'x' })
        .expect(404);
      expect(missing.body.code).toBe('not_found');
    });

    it('lets only reviewers and above merge', async () => {
      const { body: a } = await t
        .http()
        .post('/api/victims')
        .send(buildVictim(amnesty))
        .expect(201);
      const { body: b } = await t
        .http()
        .post('/api/victims')
        .send(buildVictim(amnesty))
        .expect(201);
      const res = await t
        .as('researcher')
        .post(`/api/victims/${a.id}/merge`)
        .send({ into: b.id, version: 1, reason: 'dup' })
        .expect(403);
      expect(res.body.code).toBe('forbidden');
      expect((await t.http().get(`/api/victims/${a.id}`).expect(200)).body.mergedInto).toBeNull();
    });
  });

  describe('duplicate candidates', () => {
    it('finds the same person under another spelling, ranked by name, date and place, with the reasons', async () => {
      const { body: tak } = await t
        .http()
        .post('/api/victims')
        .send(abanVictim('mehranTak', amnesty))
        .expect(201);
      const { body: tak2 } = await t
        .http()
        .post('/api/victims')
        .send(abanVictim('mehranTakBoroumand', reuters))
        .expect(201);
      const { body: alipour } = await t
        .http()
        .post('/api/victims')
        .send(abanVictim('mehranAlipour', amnesty))
        .expect(201);
      const { body: khaledi } = await t
        .http()
        .post('/api/victims')
        .send(abanVictim('mohammadKhaledi', amnesty))
        .expect(201);

      const res = await t.as('researcher').get(`/api/victims/${tak2.id}/duplicates`).expect(200);
      expect(res.body.victimId).toBe(tak2.id);
      const mine = res.body.candidates.filter((c: { victim: { id: string } }) =>
        [tak.id, alipour.id, khaledi.id, tak2.id].includes(c.victim.id),
      );
      expect(mine).toEqual([
        {
          victim: expect.objectContaining({ id: tak.id, nameFa: 'مهران تاک' }),
          score: 1,
          nameSimilarity: 1,
          datesOverlap: true,
          samePlace: true,
          reasons: [
            'names match (similarity 1.00)',
            'dates overlap (2019-11-16)',
            'same place: Marivan',
          ],
        },
      ]);
      const scores = res.body.candidates.map((c: { score: number }) => c.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it('finds a name that differs beyond spelling variants (ح / ه) in the same place', async () => {
      const { body: halali } = await t
        .http()
        .post('/api/victims')
        .send(abanVictim('adnanHalali', amnesty))
        .expect(201);
      const { body: helali } = await t
        .http()
        .post('/api/victims')
        .send(buildVictim(amnesty, { nameFa: 'عدنان هلالی', location: 'ماهشهر' }))
        .expect(201);
      const { body: elsewhere } = await t
        .http()
        .post('/api/victims')
        .send(buildVictim(amnesty, { nameFa: 'عدنان هلالی', location: 'Marivan' }))
        .expect(201);
      const res = await t.http().get(`/api/victims/${halali.id}/duplicates`).expect(200);
      const ids = res.body.candidates.map((c: { victim: { id: string } }) => c.victim.id);
      expect(ids).not.toContain(elsewhere.id);
      const found = res.body.candidates.find(
        (c: { victim: { id: string } }) => c.victim.id === helali.id,
      );
      expect(found).toMatchObject({
        datesOverlap: null,
        samePlace: true,
        reasons: [
          expect.stringMatching(/^similar names/),
          'date unknown on one side',
          'same place: Bandar-e Mahshahr',
        ],
      });
      // One letter of one word differs (ح / ه): the whole words compared, 0.6.
      expect(found.nameSimilarity).toBeGreaterThanOrEqual(0.5);
      expect(found.nameSimilarity).toBeLessThan(1);
    });

    it('finds no candidates for an unnamed record, 404 for an unknown one', async () => {
      const { body: v } = await t
        .http()
        .post('/api/victims')
        .send(buildVictim(amnesty, { nameFa: undefined }))
        .expect(201);
      const res = await t.http().get(`/api/victims/${v.id}/duplicates`).expect(200);
      expect(res.body).toEqual({ victimId: v.id, candidates: [] });
      await t.http().get(`/api/victims/${MISSING}/duplicates`).expect(404);
    });
  });
});
