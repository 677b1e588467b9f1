import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LinkRecord } from '../../src/duplicates/linkage.js';

export interface FixtureRow {
  id: string;
  person: string;
  name_en: string;
  name_fa: string;
  gender: string;
  age: string;
  date: string;
  city: string;
  province: string;
}

/** The labelled lists of test/fixtures/linkage (scripts/derive-linkage-fixture.mjs). */
export function fixtureRows(list: 'a' | 'b'): FixtureRow[] {
  return parse(readFileSync(join(__dirname, `../fixtures/linkage/list-${list}.csv`)), {
    columns: true,
    skip_empty_lines: true,
  }) as FixtureRow[];
}

/** A fixture row as the linkage sees a record: places as a path of names (country, province, city). */
export function fixtureRecord(r: FixtureRow): LinkRecord {
  return {
    id: r.id,
    names: [r.name_en, r.name_fa].filter(Boolean),
    gender: r.gender || null,
    age: r.age ? Number(r.age) : null,
    ageMin: null,
    ageMax: null,
    dateFrom: r.date || null,
    dateTo: r.date || null,
    placePath: ['Iran', r.province, ...(r.city ? [`${r.province}/${r.city}`] : [])],
    sources: [r.id.startsWith('a') ? 'list-a' : 'list-b'],
  };
}

/** Every pair of records of one person, as "idA idB" with idA < idB. */
export function truePairs(rows: FixtureRow[]): Set<string> {
  const byPerson = new Map<string, string[]>();
  for (const r of rows) byPerson.set(r.person, [...(byPerson.get(r.person) ?? []), r.id]);
  const out = new Set<string>();
  for (const ids of byPerson.values()) {
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++) out.add([ids[i], ids[j]].sort().join(' '));
  }
  return out;
}
