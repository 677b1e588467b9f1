import { tuneForAggregates } from '../../src/counts/victim-sql.js';
import { createTestApp, type TestApp } from '../setup/app.js';

/**
 * The aggregate statements' work_mem depends on the engine: the embedded engine never gives its
 * WebAssembly heap back, so a count asks for little there (src/database/engine-memory.ts).
 */
describe('work_mem of the aggregate statements', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is sized for the engine, for the transaction only', async () => {
    const before = ((await t.ds.query('SHOW work_mem')) as { work_mem: string }[])[0].work_mem;
    const inside = await t.ds.transaction(async (m) => {
      await tuneForAggregates(m);
      return ((await m.query('SHOW work_mem')) as { work_mem: string }[])[0].work_mem;
    });
    expect(inside).toBe(t.config.engine === 'embedded' ? '8MB' : '64MB');
    const after = ((await t.ds.query('SHOW work_mem')) as { work_mem: string }[])[0].work_mem;
    expect(after).toBe(before);
    if (t.config.engine === 'embedded') expect(before).toBe('4MB');
  });
});
