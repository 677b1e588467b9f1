import { Client } from 'pg';
import { createTestApp, testConfig, type TestApp } from '../setup/app.js';

/**
 * A statement past STATEMENT_TIMEOUT_MS is stopped by the server and answered 503, never 500.
 * Made to wait behind another session's lock, so it needs a server: the embedded engine is one
 * session and cannot hold a lock against itself.
 */
const onServer = testConfig().engine !== 'embedded';

(onServer ? describe : describe.skip)('a query past the statement timeout', () => {
  let t: TestApp;
  let blocker: Client;

  beforeAll(async () => {
    t = await createTestApp({ statementTimeoutMs: 1500 });
    blocker = new Client({ connectionString: t.config.databaseUrl });
    await blocker.connect();
  });

  afterAll(async () => {
    await blocker?.end();
    await t?.close();
  });

  it('answers 503 naming the query, and the service goes on answering', async () => {
    await blocker.query('BEGIN');
    // Every table a count by province may read: the victims, the rollups and the compact
    // rollups by area (issue 22), so that whichever path answers, it waits.
    await blocker.query(
      `LOCK TABLE victims, victim_rollup, victim_source_rollup, victim_area_rollup,
         victim_area_source_rollup, victim_area_source_total, victim_source_total,
         victim_area_source_bits, source_numbers IN ACCESS EXCLUSIVE MODE`,
    );
    try {
      const res = await t.http().get('/api/counts?groupBy=province').expect(503);
      expect(res.body).toMatchObject({
        code: 'timeout',
        errors: [{ field: 'query', reason: expect.stringContaining('statement timeout') }],
      });
    } finally {
      await blocker.query('ROLLBACK');
    }
    await t.http().get('/api/counts?groupBy=province').expect(200);
  });
});
