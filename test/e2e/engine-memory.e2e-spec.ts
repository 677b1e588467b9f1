import { tuneForAggregates } from '../../src/victim-scope/victim-sql.js';
import { createTestApp, type TestApp } from '../setup/app.js';

/**
 * The aggregate statements' work_mem depends on the engine: the embedded engine never gives its
 * WebAssembly heap back, so a count asks for little there (src/common/engine-memory.ts).
 */
const workMem = async (q: (sql: string) => Promise<{ work_mem: string }[]>): Promise<string> =>
  (await q('SHOW work_mem'))[0].work_mem;

describe('work_mem of the aggregate statements', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is sized for the engine, for the transaction only', async () => {
    const before = await workMem((sql) => t.ds.query(sql));
    const inside = await t.ds.transaction(async (m) => {
      await tuneForAggregates(m);
      return workMem((sql) => m.query(sql));
    });
    expect(inside).toBe(t.config.engine === 'embedded' ? '8MB' : '64MB');
    const after = await workMem((sql) => t.ds.query(sql));
    expect(after).toBe(before);
    if (t.config.engine === 'embedded') expect(before).toBe('4MB');
  });
});
