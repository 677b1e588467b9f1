import { Readable } from 'node:stream';
import { loadGazetteer } from '../../seed/gazetteer.js';
import { AppError } from '../../src/common/errors.js';
import { PlaceMatcher } from '../../src/imports/place-matcher.js';
import { readRecords, type InputRecord } from '../../src/imports/record-reader.js';
import { titleFromUrl } from '../../src/imports/source-resolver.js';
import { ageBandOf, readVictimRow, VICTIM_COLUMNS } from '../../src/imports/victim-rows.js';

const places = new PlaceMatcher(loadGazetteer());
// The rules of --strict (the behaviour before 3 December): every unreadable field refuses the row.
const opt = { harm: 'killed', status: 'draft', incidentId: null, credibility: 6, strict: true };
const known = new Set(['a', 'b', 'name_fa']);

async function all(chunks: string[], format: 'csv' | 'json'): Promise<InputRecord[]> {
  const out: InputRecord[] = [];
  for await (const r of readRecords(Readable.from(chunks), format, known)) out.push(r);
  return out;
}

async function failure(chunks: string[], format: 'csv' | 'json'): Promise<AppError> {
  try {
    await all(chunks, format);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('readRecords: CSV', () => {
  it('numbers each record by the line it starts on, across quoted newlines, CRLF and blank lines', async () => {
    const rows = await all(['\uFEFFa,B\r\n1,"two\r\nlines"\r', '\n\r\n3,', '4\r\n'], 'csv');
    expect(rows).toEqual([
      { n: 1, line: 2, values: { a: '1', b: 'two\r\nlines' } },
      { n: 2, line: 5, values: { a: '3', b: '4' } },
    ]);
    const lf = await all(['a,b\n1,"x\ny"\n\n3,4'], 'csv');
    expect(lf.map((r) => r.line)).toEqual([2, 5]);
  });

  it('keeps a row with the wrong number of fields, for the importer to reject with its line', async () => {
    const [r] = await all(['a,b\n1\n'], 'csv');
    expect(r).toEqual({
      n: 1,
      line: 2,
      values: { a: '1', __fieldCount: 1, __expectedFieldCount: 2 },
    });
  });

  it('refuses unknown and repeated columns, malformed quoting and an empty file', async () => {
    expect((await failure(['a,colour\n'], 'csv')).details.errors).toEqual([
      { field: 'colour', reason: expect.stringContaining('unknown column') },
    ]);
    expect((await failure(['a,a\n'], 'csv')).message).toContain('appears twice');
    expect((await failure(['a,b\n"1,2\n'], 'csv')).details.errors?.[0].field).toBe('file');
    expect((await failure([''], 'csv')).message).toContain('empty');
  });
});

describe('readRecords: JSON', () => {
  it('splits an array of objects streamed in arbitrary chunks, with the line each starts on', async () => {
    const text = '[\n {"a": "x, ]} \\" y", "nameFa": "ب"},\n {"b": [1, {"c": "}"}]}\n]\n';
    const chunks = text.match(/.{1,3}/gs)!;
    expect(await all(chunks, 'json')).toEqual([
      { n: 1, line: 2, values: { a: 'x, ]} " y', name_fa: 'ب' } },
      { n: 2, line: 3, values: { b: [1, { c: '}' }] } },
    ]);
  });

  it('reads one object per line (JSON Lines)', async () => {
    expect(await all(['{"a": 1}\n{"a": 2}\n'], 'json')).toEqual([
      { n: 1, line: 1, values: { a: 1 } },
      { n: 2, line: 2, values: { a: 2 } },
    ]);
  });

  it.each([
    ['a bare value', '42'],
    ['a record that is not an object', '[{"a": 1}, 2]'],
    ['a missing comma', '[{"a": 1} {"a": 2}]'],
    ['a trailing comma', '[{"a": 1},]'],
    ['an unclosed array', '[{"a": 1}'],
    ['a truncated record', '[{"a": 1'],
    ['text after the array', '[{"a": 1}] x'],
    ['invalid JSON inside a record', '[{"a": tru}]'],
    ['an unknown key', '[{"colour": "red"}]'],
  ])('refuses %s', async (_name, text) => {
    const e = await failure([text], 'json');
    expect(e.code).toBe('validation');
  });
});

describe('readVictimRow --strict', () => {
  const row = (values: Record<string, unknown>) =>
    readVictimRow({ name_fa: 'نام', source_url: 'https://example.org/a', ...values }, places, opt);
  const issues = (values: Record<string, unknown>) => {
    const r = row(values);
    return r.ok ? [] : r.issues.map((i) => [i.field, i.rule]);
  };

  it('reads ages given as digits, Persian digits or numbers, and rejects the rest with the reason', () => {
    expect(row({ age: '۱۷' })).toMatchObject({ ok: true, draft: { age: 17, ageBand: '12-17' } });
    expect(row({ age: 64 })).toMatchObject({ ok: true, draft: { age: 64, ageBand: '60+' } });
    expect(issues({ age: '17 ساله' })).toEqual([['age', 'age is not a whole number']]);
    expect(issues({ age: '17.5' })).toEqual([['age', 'age is not a whole number']]);
    expect(issues({ age: '131' })).toEqual([['age', 'age is out of range']]);
    expect(issues({ age: 30, age_min: 20, age_max: 40 })).toEqual([
      ['age', 'give either age or age_min/age_max, not both'],
    ]);
    expect(issues({ age_min: 40, age_max: 20 })).toEqual([['age_max', 'age_max is below age_min']]);
    expect(issues({ age: 30, age_band: '0-11' })).toEqual([
      ['age_band', 'age_band does not contain the age'],
    ]);
  });

  it('turns an age conflict between two lists into the range spanning both, keeping the conflict', () => {
    const r = row({ age: '59', age_conflict: 'B (Boroumand) age 59 vs A age 50' });
    expect(r).toMatchObject({
      ok: true,
      draft: { age: null, ageMin: 50, ageMax: 59, ageBand: '45-59' },
    });
    expect(r.ok && r.draft.internalNotes).toBe('Age conflict: B (Boroumand) age 59 vs A age 50');
  });

  it('reads a date met again as it read it the first time (parsed dates are remembered)', () => {
    const reasons = (values: Record<string, unknown>) => {
      const r = row(values);
      return r.ok ? [] : r.issues.map((i) => i.reason);
    };
    const first = reasons({ date_of_death: '1398-13-40' });
    expect(first).toHaveLength(1);
    expect(reasons({ date_of_death: '1398-13-40' })).toEqual(first);
    const a = row({ date: 'Aban 1398' });
    if (!a.ok || !a.draft.date) throw new Error('not read');
    a.draft.date.from = 'changed by the first row';
    expect(row({ date: 'Aban 1398' })).toMatchObject({
      draft: { date: { from: '2019-10-23', to: '2019-11-21', precision: 'month' } },
    });
    // The same text under another calendar is another question.
    expect(row({ date_of_death_jalali: '1398/08/25' })).toMatchObject({
      draft: { date: { from: '2019-11-16', calendar: 'jalali' } },
    });
  });

  it('records gender only as given', () => {
    expect(row({ gender: 'Female' })).toMatchObject({ draft: { gender: 'female' } });
    expect(row({ gender: 'زن' })).toMatchObject({ draft: { gender: 'female' } });
    expect(row({})).toMatchObject({ draft: { gender: null } });
    expect(issues({ gender: 'Mrs.' })).toEqual([['gender', 'gender is not male, female or other']]);
  });

  it('reads dates in either calendar and refuses two that disagree', () => {
    expect(row({ date_of_death_jalali: '1398/08/25' })).toMatchObject({
      draft: {
        date: { from: '2019-11-16', to: '2019-11-16', calendar: 'jalali', original: '1398/08/25' },
      },
    });
    expect(row({ date_of_death: '2019-11-16', date_of_death_jalali: '۱۳۹۸/۰۸/۲۵' })).toMatchObject({
      draft: { date: { from: '2019-11-16', calendar: 'gregorian' } },
    });
    expect(row({ date: 'Aban 1398' })).toMatchObject({
      draft: { date: { from: '2019-10-23', to: '2019-11-21', precision: 'month' } },
    });
    expect(issues({ date_of_death: '2019-11-16', date_of_death_jalali: '1398/08/27' })).toEqual([
      ['date_of_death_jalali', 'date_of_death and date_of_death_jalali disagree'],
    ]);
    expect(issues({ date_of_death: '2019-02-30' })).toEqual([
      ['date_of_death', 'date_of_death is not a date'],
    ]);
    expect(issues({ date_from: '2019-11-19', date_to: '2019-11-15' })).toEqual([
      ['date_to', 'date_to is before date_from'],
    ]);
    expect(issues({ date_from: '2019-11-19' })).toEqual([['date_to', 'date_to is missing']]);
  });

  it('makes one attestation per distinct source and rejects a row without any', () => {
    const r = row({
      source_url: 'https://example.org/a ; https://example.org/b ; https://example.org/a',
    });
    expect(r.ok && r.draft.attestations.map((a) => a.url)).toEqual([
      'https://example.org/a',
      'https://example.org/b',
    ]);
    expect(r.ok && r.draft.attestations[0]).toMatchObject({
      credibility: 6,
      assertedFields: ['name', 'harm'],
    });
    expect(issues({ source_url: '' })).toEqual([['source_url', 'the row has no source']]);
    expect(issues({ source_url: 'ftp://example.org/a' })).toEqual([
      ['source_url', 'source_url is not an http(s) URL'],
    ]);
    expect(issues({ source_ids: 'not-an-id' })).toEqual([
      ['source_ids', 'source_ids holds a value that is not a UUID'],
    ]);
  });

  it('keys rows by their content, not their position: the same row twice has one key', () => {
    const a = row({ city: 'Ahvaz' });
    const b = row({ city: ' ahvaz ' });
    const c = row({ city: 'Ahvaz', source_url: 'https://example.org/other' });
    expect(a.ok && b.ok && a.draft.importKey).toBe(b.ok && b.draft.importKey);
    expect(a.ok && c.ok && a.draft.importKey).not.toBe(c.ok && c.draft.importKey);
  });

  it('names every problem of a row at once', () => {
    expect(
      issues({ name_fa: '', age: 'x', gender: 'x', harm: 'wounded', source_url: '' }).map(
        ([f]) => f,
      ),
    ).toEqual(['name_fa', 'gender', 'age', 'harm', 'source_url']);
  });

  it('accepts exactly the shared columns, our own and the derived ones of our exports', () => {
    expect(VICTIM_COLUMNS.has('dataset_a_source_tags')).toBe(true);
    expect(VICTIM_COLUMNS.has('confidence')).toBe(true);
    expect(VICTIM_COLUMNS.has('colour')).toBe(false);
  });
});

describe('helpers', () => {
  it('bands ages, and ranges lying within one band', () => {
    expect([
      ageBandOf(0, 0),
      ageBandOf(17, 17),
      ageBandOf(18, 24),
      ageBandOf(20, 30),
      ageBandOf(60, 90),
    ]).toEqual(['0-11', '12-17', '18-24', null, '60+']);
  });

  it('titles a source known only by its URL from its host and decoded path', () => {
    expect(
      titleFromUrl(
        'https://fa.wikipedia.org/wiki/%D8%A2%D8%B2%D8%A7%D8%AF%D9%87_%D8%B6%D8%B1%D8%A8%DB%8C',
      ),
    ).toBe('fa.wikipedia.org/wiki/آزاده ضربی');
    expect(titleFromUrl('https://example.org/')).toBe('example.org');
  });
});

describe('readVictimRow: an unreadable optional field never drops the person', () => {
  const lenient = { harm: 'killed', status: 'draft', incidentId: null, credibility: 6 };
  const read = (values: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    readVictimRow({ name_fa: 'نام', source_url: 'https://example.org/a', ...values }, places, {
      ...lenient,
      ...extra,
    });
  const ok = (values: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const r = read(values, extra);
    if (!r.ok) throw new Error(`rejected: ${JSON.stringify(r.issues)}`);
    return r;
  };

  it('keeps a free-text cause verbatim beside the value it maps to', () => {
    const r = ok({ cause: 'اصابت گلوله جنگی به سر' });
    expect(r.draft).toMatchObject({
      cause: 'gunshot_head',
      originalValues: { cause: 'اصابت گلوله جنگی به سر' },
    });
    expect(r.warnings).toEqual([]);
    expect(ok({ cause: 'shot in the chest by security forces' }).draft.cause).toBe('gunshot_chest');
    expect(ok({ cause: 'ساچمه' }).draft.cause).toBe('pellets');
    expect(ok({ cause: 'gunshot_head' }).draft).toMatchObject({
      cause: 'gunshot_head',
      originalValues: null,
    });
  });

  it('reports published text that maps to no value, and imports the person', () => {
    const r = ok({ cause: 'died in custody under unclear circumstances', perpetrator: 'سپاه' });
    expect(r.draft).toMatchObject({
      cause: null,
      perpetrator: 'irgc',
      originalValues: {
        cause: 'died in custody under unclear circumstances',
        perpetrator: 'سپاه',
      },
    });
    expect(r.warnings.map((w) => [w.field, w.rule])).toEqual([
      ['cause', 'cause text maps to no value of the vocabulary'],
    ]);
  });

  it('takes a year-less date from the default year, or keeps it verbatim with no date', () => {
    const withYear = ok({ date_of_death_jalali: '۱۲ آبان' }, { defaultYear: 1401 });
    expect(withYear.draft.date).toMatchObject({
      from: '2022-11-03',
      to: '2022-11-03',
      precision: 'day',
      calendar: 'jalali',
    });
    expect(withYear.draft.originalValues).toEqual({ date_of_death_jalali: '۱۲ آبان' });
    const without = ok({ date_of_death_jalali: '۱۲ آبان' });
    expect(without.draft).toMatchObject({
      date: null,
      originalValues: { date_of_death_jalali: '۱۲ آبان' },
    });
    expect(without.warnings.map((w) => w.rule)).toEqual(['date_of_death_jalali has no year']);
  });

  it('reads unknown markers as unknown: ن. م, نامعلوم, ؟', () => {
    const r = ok({ age: 'ن. م', gender: 'نامعلوم', date_of_death_jalali: '؟', cause: 'ن.م' });
    expect(r.draft).toMatchObject({ age: null, gender: null, date: null, cause: 'unknown' });
    expect(r.warnings).toEqual([]);
  });

  it('reads "؟ بهمن ۱۴۰۴" as the month, and a day above 12 as the day', () => {
    expect(ok({ date_of_death_jalali: '؟ بهمن ۱۴۰۴' }).draft.date).toMatchObject({
      from: '2026-01-21',
      to: '2026-02-19',
      precision: 'month',
      original: '؟ بهمن ۱۴۰۴',
    });
    expect(ok({ date_of_death_jalali: '۱۸/۱۲/۱۴۰۱' }).draft.date).toMatchObject({
      from: '2023-03-09',
      precision: 'day',
    });
  });

  it('does not call two calendars that agree at the coarser precision a disagreement', () => {
    const r = ok({ date_of_death: '2022-09-21', date_of_death_jalali: 'شهریور ۱۴۰۱' });
    expect(r.draft.date).toMatchObject({ from: '2022-09-21', to: '2022-09-21', precision: 'day' });
    expect(r.warnings).toEqual([]);
    // A real disagreement: both kept verbatim, the date left empty, the person imported.
    const d = ok({ date_of_death: '2022-09-21', date_of_death_jalali: 'مهر ۱۴۰۱' });
    expect(d.draft).toMatchObject({
      date: null,
      originalValues: { date_of_death: '2022-09-21', date_of_death_jalali: 'مهر ۱۴۰۱' },
    });
    expect(d.warnings.map((w) => w.field)).toEqual(['date_of_death_jalali']);
  });

  it('leaves an unreadable age or gender empty with a warning, and reads a stated age', () => {
    const r = ok({ age: 'about 20', gender: 'Mrs.' });
    expect(r.draft).toMatchObject({
      age: null,
      gender: null,
      originalValues: { age: 'about 20', gender: 'Mrs.' },
    });
    expect(r.warnings.map((w) => w.field).sort()).toEqual(['age', 'gender']);
    expect(ok({ age: '۱۷ ساله' }).draft).toMatchObject({
      age: 17,
      ageBand: '12-17',
      originalValues: { age: '۱۷ ساله' },
    });
  });

  it('still refuses a row of which no record can be made: no source, no name', () => {
    const noSource = readVictimRow({ name_fa: 'نام', cause: 'x' }, places, lenient);
    expect(noSource.ok).toBe(false);
    expect(!noSource.ok && noSource.issues.map((i) => i.rule)).toContain('the row has no source');
    const noName = read({ name_fa: '', age: 'about 20' });
    expect(!noName.ok && noName.issues.map((i) => i.rule)).toContain('the row has no name');
    const badUrl = readVictimRow({ name_fa: 'نام', source_url: 'not a url' }, places, lenient);
    expect(badUrl.ok).toBe(false);
  });

  it('keeps the row key of a row with nothing set aside as it was', () => {
    const strict = readVictimRow(
      { name_fa: 'نام', source_url: 'https://example.org/a', age: '20' },
      places,
      { ...lenient, strict: true },
    );
    const loose = ok({ age: '20' });
    expect(strict.ok && strict.draft.importKey).toBe(loose.draft.importKey);
    expect(ok({ cause: 'a' }).draft.importKey).not.toBe(ok({ cause: 'b' }).draft.importKey);
  });
});
