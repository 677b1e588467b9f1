import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { nameSearchText } from '../src/victims/name-search.js';
import type { Dataset, GenVictim } from './generate.js';

/** A Postgres array literal of text values ({"a","b"}), safe for any content. */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/** One CSV field for COPY … (FORMAT csv): NULL is an unquoted empty field. */
export function csv(v: string | number | boolean | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface Column {
  name: string;
  type: string;
}

/**
 * INSERT … SELECT FROM unnest($1::type[], …): one statement per batch whatever the row count,
 * with every value bound. Array-valued columns travel as array literals and are cast back.
 */
export async function insertUnnest(
  c: ClientBase,
  table: string,
  columns: Column[],
  rows: unknown[][],
  batch = 20_000,
): Promise<void> {
  const select = columns
    .map((col, i) => (col.type.endsWith('[]') ? `c${i}::${col.type}` : `c${i}`))
    .join(', ');
  const params = columns
    .map((col, i) => `$${i + 1}::${col.type.endsWith('[]') ? 'text' : col.type}[]`)
    .join(', ');
  const sql = `INSERT INTO ${table} (${columns.map((col) => col.name).join(', ')})
               SELECT ${select} FROM unnest(${params}) AS t(${columns.map((_, i) => `c${i}`).join(', ')})`;
  for (let start = 0; start < rows.length; start += batch) {
    const slice = rows.slice(start, start + batch);
    const values = columns.map((col, i) =>
      slice.map((r) => {
        const v = r[i];
        return col.type.endsWith('[]') && Array.isArray(v) ? pgArray(v as string[]) : v;
      }),
    );
    await c.query(sql, values);
  }
}

/** Districts under the gazetteer's cities (the gazetteer itself is seeded by the app). */
export async function insertDistricts(c: ClientBase, data: Dataset): Promise<number> {
  const rows = data.places.districts.map((d) => [
    d.id,
    d.kind,
    d.parentId,
    d.nameEn,
    d.nameFa,
    d.variantsEn,
    d.variantsFa,
    d.namesNorm,
    d.path,
    d.depth,
  ]);
  await insertUnnest(
    c,
    'locations',
    [
      { name: 'id', type: 'uuid' },
      { name: 'kind', type: 'text' },
      { name: 'parent_id', type: 'uuid' },
      { name: 'name_en', type: 'text' },
      { name: 'name_fa', type: 'text' },
      { name: 'variants_en', type: 'text[]' },
      { name: 'variants_fa', type: 'text[]' },
      { name: 'names_norm', type: 'text[]' },
      { name: 'path', type: 'uuid[]' },
      { name: 'depth', type: 'int' },
    ],
    rows,
  );
  return rows.length;
}

export async function insertSources(c: ClientBase, data: Dataset): Promise<number> {
  await insertUnnest(
    c,
    'sources',
    [
      { name: 'id', type: 'uuid' },
      { name: 'kind', type: 'text' },
      { name: 'title', type: 'text' },
      { name: 'publisher', type: 'text' },
      { name: 'published_from', type: 'date' },
      { name: 'published_to', type: 'date' },
      { name: 'published_precision', type: 'text' },
      { name: 'published_original', type: 'text' },
      { name: 'language', type: 'text' },
      { name: 'url', type: 'text' },
      { name: 'reliability', type: 'text' },
      { name: 'restricted', type: 'boolean' },
    ],
    data.sources.map((s) => [
      s.id,
      s.kind,
      s.title,
      s.publisher,
      s.publishedFrom,
      s.publishedTo,
      s.publishedPrecision,
      s.publishedOriginal,
      s.language,
      s.url,
      s.reliability,
      s.restricted,
    ]),
  );
  const links = data.sources.filter((s) => s.relays !== null);
  await insertUnnest(
    c,
    'source_links',
    [
      { name: 'source_id', type: 'uuid' },
      { name: 'target_id', type: 'uuid' },
      { name: 'relation', type: 'text' },
    ],
    links.map((s) => [s.id, data.sources[s.relays ?? 0].id, 'relays']),
  );
  return data.sources.length;
}

export async function insertIncidents(c: ClientBase, data: Dataset): Promise<number> {
  await insertUnnest(
    c,
    'incidents',
    [
      { name: 'id', type: 'uuid' },
      { name: 'title', type: 'text' },
      { name: 'title_fa', type: 'text' },
      { name: 'date_from', type: 'date' },
      { name: 'date_to', type: 'date' },
      { name: 'date_precision', type: 'text' },
      { name: 'date_original', type: 'text' },
      { name: 'location_id', type: 'uuid' },
      { name: 'category', type: 'text' },
      { name: 'perpetrators', type: 'text[]' },
      { name: 'status', type: 'text' },
    ],
    data.incidents.map((i) => [
      i.id,
      i.title,
      i.titleFa,
      i.date?.from ?? null,
      i.date?.to ?? null,
      i.date?.precision ?? null,
      i.date?.original ?? null,
      i.place.id,
      i.category,
      i.perpetrators,
      i.status,
    ]),
  );
  await insertUnnest(
    c,
    'attestations',
    [
      { name: 'source_id', type: 'uuid' },
      { name: 'incident_id', type: 'uuid' },
      { name: 'locator', type: 'text' },
      { name: 'credibility', type: 'smallint' },
    ],
    data.incidents.map((i) => [
      data.sources[i.attestation.source].id,
      i.id,
      i.attestation.locator,
      i.attestation.credibility,
    ]),
  );
  return data.incidents.length;
}

export async function insertClaims(c: ClientBase, data: Dataset): Promise<number> {
  const claims = data.claims;
  await insertUnnest(
    c,
    'count_claims',
    [
      { name: 'id', type: 'uuid' },
      { name: 'source_id', type: 'uuid' },
      { name: 'attributed_source_id', type: 'uuid' },
      { name: 'relays_claim_id', type: 'uuid' },
      { name: 'category', type: 'text' },
      { name: 'qualifier', type: 'text' },
      { name: 'low', type: 'int' },
      { name: 'best', type: 'int' },
      { name: 'high', type: 'int' },
      { name: 'location_id', type: 'uuid' },
      { name: 'date_from', type: 'date' },
      { name: 'date_to', type: 'date' },
      { name: 'population', type: 'text' },
      { name: 'basis', type: 'text' },
      { name: 'published_date', type: 'date' },
      { name: 'excerpt', type: 'text' },
      { name: 'credibility', type: 'smallint' },
      { name: 'status', type: 'text' },
    ],
    claims.map((k) => [
      k.id,
      data.sources[k.source].id,
      k.attributedSource === null ? null : data.sources[k.attributedSource].id,
      k.relaysClaim === null ? null : claims[k.relaysClaim].id,
      k.category,
      k.qualifier,
      k.low,
      k.best,
      k.high,
      k.locationId,
      k.dateFrom,
      k.dateTo,
      k.population,
      k.basis,
      k.publishedDate,
      k.excerpt,
      k.credibility,
      k.status,
    ]),
  );
  return claims.length;
}

export const VICTIM_COLUMNS = [
  'id',
  'name_fa',
  'name_en',
  'name_variants',
  'name_search',
  'gender',
  'age',
  'age_min',
  'age_max',
  'age_band',
  'harm',
  'date_from',
  'date_to',
  'date_precision',
  'date_calendar',
  'date_original',
  'location_id',
  'place_precision',
  'place_original',
  'cause',
  'perpetrator',
  'armed',
  'incident_id',
  'status',
  'confidence',
  'import_key',
  'public_confidence',
];

/** The types of VICTIM_COLUMNS, for INSERT … SELECT FROM unnest. */
export const VICTIM_TYPES = [
  'uuid',
  'text',
  'text',
  'text[]',
  'text',
  'text',
  'int',
  'int',
  'int',
  'text',
  'text',
  'date',
  'date',
  'text',
  'text',
  'text',
  'uuid',
  'text',
  'text',
  'text',
  'text',
  'boolean',
  'uuid',
  'text',
  'text',
  'text',
  'text',
];

export function victimValues(
  v: GenVictim,
  data: Dataset,
): (string | number | boolean | string[] | null)[] {
  const incident = v.incident === null ? null : data.incidents[v.incident].id;
  return [
    v.id,
    v.nameFa,
    v.nameEn,
    v.nameVariants,
    nameSearchText([v.nameFa, v.nameEn, ...v.nameVariants]),
    v.gender,
    v.age,
    v.ageMin,
    v.ageMax,
    v.ageBand,
    v.harm,
    v.date?.from ?? null,
    v.date?.to ?? null,
    v.date?.precision ?? null,
    v.date?.calendar ?? null,
    v.date?.original ?? null,
    v.place.id,
    v.place.kind === 'province' ? 'parent' : 'exact',
    v.placeText,
    v.cause,
    v.perpetrator,
    v.armed,
    incident,
    v.status,
    v.confidence,
    v.importKey,
    v.publicConfidence,
  ];
}

function victimLine(v: GenVictim, data: Dataset): string {
  return (
    victimValues(v, data)
      .map((x) => csv(Array.isArray(x) ? pgArray(x) : x))
      .join(',') + '\n'
  );
}

function attestationLines(v: GenVictim, data: Dataset): string {
  let out = '';
  for (const a of v.attestations) {
    out += `${data.sources[a.source].id},${v.id},${csv(a.locator)},${a.credibility}\n`;
  }
  return out;
}

export async function copyLines(
  c: ClientBase,
  sql: string,
  lines: Iterable<string>,
): Promise<void> {
  const stream = c.query(copyFrom(sql));
  // Batches of lines per chunk: one write per row would cost more than the COPY itself.
  function* chunks(): Generator<string> {
    let buf = '';
    for (const l of lines) {
      buf += l;
      if (buf.length > 256 * 1024) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  }
  await pipeline(Readable.from(chunks()), stream);
}

/**
 * The floor of a bulk load: victims [from, to) and their attestations straight through COPY,
 * already shaped as rows (no parsing, no place matching, no deduplication). `get` supplies
 * victim i (pass generated ones to time the database alone). The caller holds the transaction.
 */
export async function copyVictims(
  c: ClientBase,
  data: Dataset,
  from: number,
  to: number,
  get: (i: number) => GenVictim = (i) => data.victims.at(i),
  chunk = 50_000,
): Promise<{ victims: number; attestations: number }> {
  let attestations = 0;
  for (let start = from; start < to; start += chunk) {
    const batch: GenVictim[] = [];
    for (let i = start; i < Math.min(to, start + chunk); i++) batch.push(get(i));
    await copyLines(
      c,
      `COPY victims (${VICTIM_COLUMNS.join(', ')}) FROM STDIN (FORMAT csv)`,
      batch.map((v) => victimLine(v, data)),
    );
    await copyLines(
      c,
      'COPY attestations (source_id, victim_id, locator, credibility) FROM STDIN (FORMAT csv)',
      batch.map((v) => attestationLines(v, data)),
    );
    attestations += batch.reduce((s, v) => s + v.attestations.length, 0);
  }
  return { victims: to - from, attestations };
}

/** The columns of a victim's attestation, as both the loader and the bulk floor insert them. */
export const VICTIM_ATTESTATION_COLUMNS = [
  { name: 'source_id', type: 'uuid' },
  { name: 'victim_id', type: 'uuid' },
  { name: 'locator', type: 'text' },
  { name: 'credibility', type: 'smallint' },
];

/**
 * Like copyVictims, with multi-row INSERT … SELECT FROM unnest instead of COPY: the embedded
 * engine's socket does not speak the COPY sub-protocol.
 */
export async function insertVictims(
  c: ClientBase,
  data: Dataset,
  from: number,
  to: number,
  get: (i: number) => GenVictim = (i) => data.victims.at(i),
  chunk = 5_000,
): Promise<{ victims: number; attestations: number }> {
  let attestations = 0;
  const types = VICTIM_TYPES;
  const columns = VICTIM_COLUMNS.map((name, i) => ({ name, type: types[i] }));
  for (let start = from; start < to; start += chunk) {
    const batch: GenVictim[] = [];
    for (let i = start; i < Math.min(to, start + chunk); i++) batch.push(get(i));
    await insertUnnest(
      c,
      'victims',
      columns,
      batch.map((v) => victimValues(v, data)),
      chunk,
    );
    const atts = batch.flatMap((v) =>
      v.attestations.map((a) => [data.sources[a.source].id, v.id, a.locator, a.credibility]),
    );
    await insertUnnest(c, 'attestations', VICTIM_ATTESTATION_COLUMNS, atts, atts.length);
    attestations += atts.length;
  }
  return { victims: to - from, attestations };
}

/**
 * Marks the generated duplicates as merged into the record they duplicate (a reviewer's
 * merge), by import key, so counts must skip them. Returns how many were merged.
 */
export async function mergeDuplicates(c: ClientBase, pairs: [string, string][]): Promise<number> {
  if (!pairs.length) return 0;
  const r = await c.query(
    `UPDATE victims v SET merged_into = t.id
       FROM unnest($1::text[], $2::text[]) AS p(dup, target)
       JOIN victims t ON t.import_key = p.target
      WHERE v.import_key = p.dup`,
    [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
  );
  return r.rowCount ?? 0;
}
