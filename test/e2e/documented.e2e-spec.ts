import { CountsService } from '../../src/counts/counts.service.js';
import { documentedRuleText } from '../../src/victim-scope/documented.js';
import { ReconciliationService } from '../../src/reconciliation/reconciliation.service.js';
import { createSource } from '../factories/index.js';
import { PLACES, createVictims } from '../factories/counts.js';
import { createTestApp, resetDatabase, type TestApp } from '../setup/app.js';

/** An unresolved cluster of likely duplicates, as the linkage job stores one. */
async function cluster(t: TestApp, ids: string[], state = 'open'): Promise<string> {
  const [c] = await t.ds.query<{ id: string }[]>(
    `INSERT INTO duplicate_clusters (state, score, size) VALUES ($1, 0.9, $2) RETURNING id`,
    [state, ids.length],
  );
  await t.ds.query(
    `INSERT INTO duplicate_cluster_members (cluster_id, victim_id) SELECT $1, unnest($2::uuid[])`,
    [c.id, ids],
  );
  return c.id;
}

describe('the documented minimum: verified people, each once', () => {
  let t: TestApp;
  let verified: string[];
  let submitted: string[];

  beforeAll(async () => {
    t = await createTestApp();
    await resetDatabase(t.ds);
    const list = await createSource(t.ds, { title: 'A list', publisher: 'A', reliability: 'B' });
    const at = { locationId: PLACES.mahshahr, sources: [list.id] };
    verified = await createVictims(t.ds, 5, { ...at, status: 'verified' });
    submitted = await createVictims(t.ds, 3, { ...at, status: 'submitted' });
    await createVictims(t.ds, 2, { ...at, status: 'draft' });
    await createVictims(t.ds, 1, { ...at, status: 'disputed' });
    await createVictims(t.ds, 1, { ...at, status: 'retracted' });
    // Two verified records and a submitted one are likely one person; two submitted ones another.
    await cluster(t, [verified[0], verified[1], submitted[0]]);
    await cluster(t, [submitted[1], submitted[2]], 'unsure');
    // A cluster a reviewer found to be different people counts as what it is.
    await cluster(t, [verified[2], verified[3]], 'different');
  });

  afterAll(async () => {
    await t.close();
  });

  /** The same answer from the rollups and from the victims themselves. */
  async function both(path: string, role: 'admin' | 'viewer' = 'admin'): Promise<unknown> {
    const counts = t.app.get(CountsService);
    const rec = t.app.get(ReconciliationService);
    counts.useRollups = rec.useRollups = true;
    const fast = await t.as(role).get(path).expect(200);
    counts.useRollups = rec.useRollups = false;
    const exact = await t.as(role).get(path).expect(200);
    counts.useRollups = rec.useRollups = true;
    expect(fast.body).toEqual(exact.body);
    return fast.body;
  }

  it('counts verified records only, a cluster once, and reports the rest beside the count', async () => {
    const body = (await both('/api/reconciliation?location=Mahshahr')) as {
      documented: Record<string, unknown>;
      statement: string;
      rules: string[];
      low: { value: number };
    };
    expect(body.documented).toMatchObject({
      total: 4,
      rule: 'verified',
      countedStatuses: ['verified'],
      awaitingReview: 5,
      // submitted[0] (its cluster has a counted record) and one of submitted[1], submitted[2].
      possibleDuplicates: 2,
      disputed: 1,
      foldedDuplicates: 1,
      byConfidence: { probable: 4 },
      sources: [{ victims: 4 }],
      ruleText: documentedRuleText('verified'),
    });
    expect(body.low.value).toBe(4);
    expect(body.statement).toContain(
      '4 documented (verified records only, each person once); 1 more record is a likely duplicate of these, not counted again; 5 more records await review, of which about 2 may be duplicates; 1 is disputed.',
    );
    expect(body.rules).toContain(documentedRuleText('verified'));
  });

  it('documented=all counts every included status, still each cluster once', async () => {
    const body = (await both('/api/reconciliation?location=Mahshahr&documented=all')) as {
      documented: Record<string, unknown>;
      statement: string;
    };
    // 11 records not retracted; the open cluster's three are one, the unsure cluster's two are one.
    expect(body.documented).toMatchObject({
      total: 8,
      rule: 'all',
      countedStatuses: ['draft', 'submitted', 'verified', 'disputed'],
      awaitingReview: 0,
      possibleDuplicates: 0,
      disputed: 0,
      foldedDuplicates: 3,
    });
    expect(body.statement).toContain('8 documented (records of every included status');
  });

  it('status narrows what is counted and what is reported beside it', async () => {
    const body = (await both('/api/reconciliation?location=Mahshahr&status=verified,draft')) as {
      documented: Record<string, unknown>;
    };
    expect(body.documented).toMatchObject({ total: 4, awaitingReview: 2, disputed: 0 });
  });

  it('a viewer sees the verified count and nothing awaiting review', async () => {
    const body = (await both('/api/reconciliation?location=Mahshahr', 'viewer')) as {
      documented: Record<string, unknown>;
    };
    expect(body.documented).toMatchObject({
      total: 4,
      awaitingReview: 0,
      possibleDuplicates: 0,
      disputed: 0,
    });
  });

  it('counts follow the same rule per bucket and say so', async () => {
    const body = (await both('/api/counts?groupBy=city,day&location=Khuzestan')) as {
      query: { documented: Record<string, unknown> };
      buckets: Record<string, unknown>[];
      subtotals: Record<string, unknown>[];
      totals: Record<string, unknown>;
    };
    expect(body.query.documented).toEqual({
      rule: 'verified',
      countedStatuses: ['verified'],
      text: documentedRuleText('verified'),
    });
    expect(body.totals).toMatchObject({
      count: 4,
      awaitingReview: 5,
      possibleDuplicates: 2,
      disputed: 1,
      foldedDuplicates: 1,
      sources: [{ victims: 4 }],
    });
    expect(body.buckets).toEqual([
      expect.objectContaining({
        count: 4,
        awaitingReview: 5,
        disputed: 1,
        sources: [expect.objectContaining({ victims: 4 })],
      }),
    ]);
    const all = (await both('/api/counts?groupBy=day&location=Mahshahr&documented=all')) as {
      totals: Record<string, unknown>;
    };
    expect(all.totals).toMatchObject({ count: 8, awaitingReview: 0, foldedDuplicates: 3 });
  });

  it('a cluster decided "same" and merged counts once, as the merge does', async () => {
    const [c] = await t.ds.query<{ id: string }[]>(
      `SELECT cluster_id AS id FROM duplicate_cluster_members WHERE victim_id = $1`,
      [verified[0]],
    );
    await t.ds.query(`UPDATE victims SET merged_into = $1 WHERE id = $2`, [
      verified[0],
      verified[1],
    ]);
    await t.ds.query(`UPDATE duplicate_clusters SET state = 'same' WHERE id = $1`, [c.id]);
    const body = (await both('/api/reconciliation?location=Mahshahr')) as {
      documented: Record<string, unknown>;
    };
    expect(body.documented).toMatchObject({ total: 4, foldedDuplicates: 0, possibleDuplicates: 1 });
    await t.ds.query(`UPDATE victims SET merged_into = NULL WHERE id = $1`, [verified[1]]);
    await t.ds.query(`UPDATE duplicate_clusters SET state = 'open' WHERE id = $1`, [c.id]);
  });

  it('an unknown rule is a 400 naming the field', async () => {
    for (const path of ['/api/reconciliation', '/api/counts']) {
      const res = await t.http().get(`${path}?documented=everything`).expect(400);
      expect(res.body).toMatchObject({
        statusCode: 400,
        errors: [{ field: 'documented', reason: expect.stringContaining('verified, all') }],
      });
    }
  });
});
