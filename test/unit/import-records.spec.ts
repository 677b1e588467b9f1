import { Readable } from 'node:stream';
import { ImportFileError, readRecords, type InputRecord } from '../../src/imports/record-reader.js';

const KNOWN = new Set(['name_en', 'date']);

/** Every record of a CSV text, or the error reading it ended with; never waits forever. */
async function readAll(
  input: Readable,
  stopAfter = Infinity,
): Promise<{ records: InputRecord[]; error: unknown }> {
  const records: InputRecord[] = [];
  let error: unknown = null;
  const reading = (async () => {
    try {
      for await (const r of readRecords(input, 'csv', KNOWN)) {
        records.push(r);
        if (records.length >= stopAfter) break;
      }
    } catch (e) {
      error = e;
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('readRecords never settled')), 4_000);
  });
  try {
    await Promise.race([reading, hung]);
  } finally {
    clearTimeout(timer);
  }
  return { records, error };
}

const rows = (n: number): string => 'Ali,2019-11-16\n'.repeat(n);

describe('readRecords: a CSV that goes wrong part of the way', () => {
  it('refuses a stray character after a closing quote, naming its line', async () => {
    const { error } = await readAll(Readable.from(['name_en,date\n"Ali"x,2019-11-16\nb,c\n']));
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as Error).message).toMatch(/malformed CSV at line 2: Invalid Closing Quote/);
  });

  it('names the faulty line of a long file, however far the parser had read ahead', async () => {
    // Many chunks, far past the parser's buffer: its 'drain' never comes once it has failed.
    const text = `name_en,date\n${rows(50_000)}"x"y,1\n${rows(1_000)}`;
    const chunks = text.match(/[\s\S]{1,4096}/g)!;
    const { records, error } = await readAll(Readable.from(chunks));
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as Error).message).toContain('malformed CSV at line 50002');
    expect(records.length).toBeLessThanOrEqual(50_000);
  });

  it('lets its reader stop early without waiting on the rest of the input', async () => {
    const text = `name_en,date\n${rows(50_000)}`;
    const { records, error } = await readAll(Readable.from(text.match(/[\s\S]{1,4096}/g)!), 10);
    expect(error).toBeNull();
    expect(records.map((r) => r.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(records[0]).toMatchObject({ line: 2, values: { name_en: 'Ali', date: '2019-11-16' } });
  });

  it('still reads a whole good file, with each record on its line', async () => {
    const { records, error } = await readAll(
      Readable.from([`name_en,date\n${rows(3)}\n"Multi\nline",2019-11-17\nZahra,1398-08-25\n`]),
    );
    expect(error).toBeNull();
    expect(records.map((r) => [r.n, r.line])).toEqual([
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 6],
      [5, 8],
    ]);
  });
});
