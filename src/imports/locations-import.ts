import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { COORDINATE_PRECISIONS, LOCATION_KINDS } from '../common/domain.js';
import { AppError } from '../common/errors.js';
import { normalizeDigits, normalizeText } from '../common/persian.js';
import { kindMaySitUnder, locationNamesNorm } from '../locations/location-names.js';
import { resolveLocation } from '../locations/location-resolver.js';
import type { ImportReport } from './import-report.js';
import type { ColumnPolicy, InputRecord } from './record-reader.js';
import { replacePlacesIn } from './replace-places.js';
import { RowFields, UUID_RE, type FieldIssue } from './row-fields.js';
import { idScopeOf, runImport, type ImportContext, type ImportOptions } from './import-run.js';

const OWN = [
  'id',
  'external_id',
  'kind',
  'name_en',
  'name_fa',
  'variants_en',
  'variants_fa',
  'parent',
  'lat',
  'lon',
  'precision',
] as const;
/** What GET /api/locations answers besides: accepted and ignored (recomputed). */
const DERIVED = ['path', 'depth', 'ancestors', 'version', 'created_at', 'updated_at'] as const;

export const LOCATION_COLUMNS: ReadonlySet<string> = new Set<string>([...OWN, ...DERIVED]);

/** Column names other gazetteers use for ours. */
export const LOCATION_COLUMN_ALIASES: Readonly<Record<string, string>> = {
  name: 'name_en',
  name_english: 'name_en',
  english_name: 'name_en',
  name_persian: 'name_fa',
  persian_name: 'name_fa',
  name_farsi: 'name_fa',
  نام: 'name_fa',
  variants: 'variants_en',
  alternate_names: 'variants_en',
  variants_persian: 'variants_fa',
  type: 'kind',
  parent_id: 'parent',
  parent_name: 'parent',
  latitude: 'lat',
  longitude: 'lon',
  lng: 'lon',
  record_id: 'external_id',
  place_id: 'external_id',
};

export function locationColumnPolicy(
  strict: boolean,
  found: Map<string, string | null>,
): ColumnPolicy {
  return { aliases: LOCATION_COLUMN_ALIASES, unknown: strict ? 'refuse' : 'report', found };
}

export interface LocationRow {
  id: string | null;
  externalId: string | null;
  kind: string;
  nameEn: string;
  nameFa: string | null;
  variantsEn: string[];
  variantsFa: string[];
  parent: string | null;
  lat: number | null;
  lon: number | null;
  precision: string | null;
}

function coordinate(f: RowFields, field: 'lat' | 'lon', bound: number): number | null {
  const v = f.values[field];
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return null;
  const s =
    typeof v === 'number'
      ? String(v)
      : typeof v === 'string'
        ? normalizeDigits(v.trim()).replace('٫', '.')
        : '';
  const n = /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
  if (!Number.isFinite(n)) {
    f.problem(field, `${field} is not a number`, `got ${JSON.stringify(v)}`);
    return null;
  }
  if (Math.abs(n) > bound) {
    f.problem(field, `${field} is out of range`, `${n} is not within -${bound}–${bound}`);
    return null;
  }
  return n;
}

/** One row of a places file, checked as POST /api/locations checks a place. */
export function readLocationRow(
  values: Record<string, unknown>,
): { ok: true; row: LocationRow } | { ok: false; issues: FieldIssue[] } {
  const f = new RowFields(values);
  if (values.__fieldCount !== undefined) {
    f.problem(
      'row',
      'the row has the wrong number of fields',
      `${values.__fieldCount as number} fields, the header has ${values.__expectedFieldCount as number}`,
    );
    return { ok: false, issues: f.issues };
  }
  const id = f.uuid('id');
  const externalId = f.text('external_id', 200);
  const kind = f.oneOf('kind', LOCATION_KINDS);
  if (!kind && !f.has('kind'))
    f.problem('kind', 'kind is missing', `one of ${LOCATION_KINDS.join(', ')}`);
  const nameEn = f.text('name_en', 300);
  const nameFa = f.text('name_fa', 300);
  if (!nameEn && !f.has('name_en'))
    f.problem(
      'name_en',
      'name_en is missing',
      nameFa ? `a place needs its English name beside the Persian one (${nameFa})` : undefined,
    );
  const variantsEn = f.list('variants_en');
  const variantsFa = f.list('variants_fa');
  const parent = f.text('parent', 300);
  const lat = coordinate(f, 'lat', 90);
  const lon = coordinate(f, 'lon', 180);
  if (
    (lat === null) !== (lon === null) &&
    !f.issues.some((i) => i.field === 'lat' || i.field === 'lon')
  )
    f.problem(lat === null ? 'lat' : 'lon', 'lat and lon are given together, or neither');
  const precision = f.oneOf('precision', COORDINATE_PRECISIONS);
  if (precision !== null && lat === null)
    f.problem('precision', 'precision describes coordinates: give lat and lon with it');
  if (kind && kind !== 'country' && !parent && !f.has('parent'))
    f.problem('parent', 'parent is missing', `a ${kind} needs a parent place (its id or name)`);
  if (f.issues.length) return { ok: false, issues: f.issues };
  return {
    ok: true,
    row: {
      id,
      externalId,
      kind: kind!,
      nameEn: nameEn!,
      nameFa,
      variantsEn,
      variantsFa,
      parent,
      lat,
      lon,
      precision: lat === null ? null : (precision ?? 'approximate'),
    },
  };
}

interface PlaceRow {
  id: string;
  kind: string;
  parent_id: string | null;
  path: string[];
  name_en: string;
  name_fa: string | null;
  variants_en: string[];
  variants_fa: string[];
  names_norm: string[];
  lat: number | null;
  lon: number | null;
  precision: string | null;
  version: number;
}

const PLACE_COLUMNS = `id, kind, parent_id, path, name_en, name_fa, variants_en, variants_fa, names_norm, lat, lon, precision, version`;

type Parent = { id: string; kind: string; path: string[]; nameEn: string } | null;

/**
 * The places body of an import: rows in the order their parents need (a row may name a parent
 * further down the file), each a new place, a place already there (the same kind under the same
 * parent with a name in common, or its id, or the list's own id) to which the row may add names
 * and coordinates it lacked, or a rejected row. Every write is audited. Then, unless told not
 * to, the records whose place text now resolves better are re-placed (replace-places.ts).
 */
async function locationsBody(
  ctx: ImportContext,
  records: AsyncIterable<InputRecord> | Iterable<InputRecord>,
): Promise<boolean> {
  const { m, report, actor } = ctx;
  const scope = idScopeOf(ctx.opt);
  const reason = `import ${report.importId}`;
  const rows: { rec: InputRecord; row: LocationRow }[] = [];
  for await (const rec of records) {
    report.read++;
    const r = readLocationRow(rec.values);
    if (!r.ok) ctx.reject(rec, r.issues);
    else rows.push({ rec, row: r.row });
  }

  // Which row of the file a parent text names: by id, by the list's own id, or by a name
  // exactly one row of the file has.
  const byKey = new Map<string, number[]>();
  const key = (k: string, i: number) => byKey.set(k, [...(byKey.get(k) ?? []), i]);
  rows.forEach(({ row }, i) => {
    if (row.id) key(`id:${row.id}`, i);
    if (row.externalId) key(`ext:${row.externalId}`, i);
    for (const n of locationNamesNorm(row)) key(`name:${n}`, i);
  });
  const parentRow = (text: string): number | null => {
    const t = text.trim();
    const hits =
      byKey.get(`id:${t.toLowerCase()}`) ??
      byKey.get(`ext:${t}`) ??
      byKey.get(`name:${normalizeText(t)}`) ??
      [];
    return hits.length === 1 ? hits[0] : null;
  };

  // Parents first: a depth-first order over the file's own references; a loop is rejected.
  const order: number[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const looped = new Set<number>();
  const visit = (i: number): void => {
    if (state.get(i) === 'done') return;
    if (state.get(i) === 'visiting') {
      looped.add(i);
      return;
    }
    state.set(i, 'visiting');
    const p = rows[i].row.parent;
    const j = p ? parentRow(p) : null;
    if (j !== null && j !== i) visit(j);
    state.set(i, 'done');
    order.push(i);
  };
  rows.forEach((_, i) => visit(i));

  const made = new Map<number, string | null>();
  for (const i of order) {
    const { rec, row } = rows[i];
    const reject = (field: string, rule: string, why: string): void => {
      made.set(i, null);
      ctx.reject(rec, [{ field, rule, reason: `${rule}: ${why}` }]);
    };
    if (looped.has(i)) {
      reject(
        'parent',
        'the parents make a loop',
        `${row.nameEn} lies, through its parents, inside itself`,
      );
      continue;
    }
    let parent: Parent = null;
    if (row.parent) {
      const j = parentRow(row.parent);
      if (j !== null && j !== i) {
        const id = made.get(j);
        if (!id) {
          reject(
            'parent',
            'the parent row was rejected',
            `${row.parent} (line ${rows[j].rec.line}) was not imported`,
          );
          continue;
        }
        parent = await placeById(m, id);
      } else {
        const found = await parentInLedger(m, scope, row.parent);
        if ('problem' in found) {
          reject('parent', found.rule, found.problem);
          continue;
        }
        parent = found.place;
      }
      if (parent && !kindMaySitUnder(row.kind, parent.kind)) {
        reject(
          'kind',
          'the kind cannot sit under the parent',
          `a ${row.kind} cannot sit under the ${parent.kind} ${parent.nameEn} (${LOCATION_KINDS.join(' > ')}; a village sits just below cities)`,
        );
        continue;
      }
    }
    const existing = await samePlace(m, scope, row, parent);
    if (existing && 'problem' in existing) {
      reject(existing.field, existing.rule, existing.problem);
      continue;
    }
    if (existing) {
      made.set(i, existing.id);
      const changed = await learn(m, actor.userId, existing, row, reason);
      if (changed) report.updated++;
      else report.alreadyPresent++;
    } else {
      const id = row.id ?? randomUUID();
      await insertPlace(m, actor.userId, id, row, parent, reason);
      made.set(i, id);
      report.imported++;
    }
    if (row.externalId)
      await m.query(
        `INSERT INTO location_external_ids (scope, external_id, location_id) VALUES ($1, $2, $3)
         ON CONFLICT (scope, external_id) DO NOTHING`,
        [scope, row.externalId, made.get(i)],
      );
  }

  if (ctx.opt.replace !== false)
    report.replaced = await replacePlacesIn(
      m,
      actor,
      `${reason}: re-placed after a locations import`,
    );
  return false;
}

async function placeById(m: EntityManager, id: string): Promise<Parent> {
  const [p] = await m.query<PlaceRow[]>(`SELECT ${PLACE_COLUMNS} FROM locations WHERE id = $1`, [
    id,
  ]);
  return { id: p.id, kind: p.kind, path: p.path, nameEn: p.name_en };
}

/** A parent named by the list's own id, a gazetteer id, or a name of exactly one place. */
async function parentInLedger(
  m: EntityManager,
  scope: string,
  text: string,
): Promise<{ place: Parent } | { rule: string; problem: string }> {
  const [ext] = await m.query<{ location_id: string }[]>(
    `SELECT location_id FROM location_external_ids WHERE scope = $1 AND external_id = $2`,
    [scope, text],
  );
  if (ext) return { place: await placeById(m, ext.location_id) };
  try {
    const p = await resolveLocation(m, text, 'parent');
    return { place: { id: p.id, kind: p.kind, path: p.path, nameEn: p.nameEn } };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    const candidates = (e.details.candidates ?? []) as {
      id: string;
      kind: string;
      nameEn: string;
      parent: { nameEn: string | null } | null;
    }[];
    if (candidates.length)
      return {
        rule: 'the parent names several places',
        problem: `"${text}" is ${candidates
          .map(
            (c) =>
              `${c.id} (the ${c.kind} ${c.nameEn}${c.parent?.nameEn ? ` in ${c.parent.nameEn}` : ''})`,
          )
          .join(' or ')}: give the id of the one meant`,
      };
    if (UUID_RE.test(text.trim()))
      return { rule: 'the parent is not a known place', problem: `no place has id ${text.trim()}` };
    const hint = (e.details.suggestions ?? []) as string[];
    return {
      rule: 'the parent is not a known place',
      problem: `no place is called "${text}"${hint.length ? ` (did you mean ${hint.join(', ')}?)` : ''}`,
    };
  }
}

/**
 * The place a row already is: its id, the list's own id, or a place of the same kind under the
 * same parent sharing one of its names (ZWNJ, Arabic letters and case folded), or else the one
 * such place deeper inside the parent (a town in a county of the province the row names).
 */
async function samePlace(
  m: EntityManager,
  scope: string,
  row: LocationRow,
  parent: Parent,
): Promise<PlaceRow | { field: string; rule: string; problem: string } | null> {
  let found: PlaceRow | undefined;
  if (row.id)
    [found] = await m.query<PlaceRow[]>(`SELECT ${PLACE_COLUMNS} FROM locations WHERE id = $1`, [
      row.id,
    ]);
  if (!found && row.externalId)
    [found] = await m.query<PlaceRow[]>(
      `SELECT ${PLACE_COLUMNS.split(', ')
        .map((c) => `l.${c}`)
        .join(', ')} FROM location_external_ids e JOIN locations l ON l.id = e.location_id
        WHERE e.scope = $1 AND e.external_id = $2`,
      [scope, row.externalId],
    );
  if (found) {
    const within =
      found.parent_id === (parent?.id ?? null) || (!!parent && found.path.includes(parent.id));
    if (found.kind !== row.kind || !within)
      return {
        field: row.id ? 'id' : 'external_id',
        rule: 'the place is elsewhere in the gazetteer',
        problem: `${row.id ?? row.externalId} is the ${found.kind} ${found.name_en}${found.parent_id ? ` under ${found.parent_id}` : ''}; an import never moves or re-kinds a place (PATCH /api/locations/${found.id} does)`,
      };
    return found;
  }
  const names = locationNamesNorm(row);
  // Under the parent, or deeper inside it: a town the file places in its province, which the
  // gazetteer has in a county of that province (only when one place inside fits).
  const same = await m.query<(PlaceRow & { direct: boolean })[]>(
    `SELECT ${PLACE_COLUMNS}, parent_id IS NOT DISTINCT FROM $2::uuid AS direct FROM locations
      WHERE kind = $1 AND names_norm && $3::text[]
        AND (parent_id IS NOT DISTINCT FROM $2::uuid OR ($2::uuid IS NOT NULL AND path @> ARRAY[$2::uuid]))
      ORDER BY direct DESC, created_at LIMIT 2`,
    [row.kind, parent?.id ?? null, names],
  );
  if (!same.length || (!same[0].direct && same.length > 1)) return null;
  const { direct: _direct, ...place } = same[0];
  return place;
}

/** Adds to a place the names and the coordinates a row gives that it lacks. True when it changed. */
async function learn(
  m: EntityManager,
  actorId: string | null,
  p: PlaceRow,
  row: LocationRow,
  reason: string,
): Promise<boolean> {
  const known = new Set(p.names_norm);
  const fresh = (list: string[]): string[] => {
    const out: string[] = [];
    for (const n of list) {
      const k = normalizeText(n);
      if (k && !known.has(k)) {
        known.add(k);
        out.push(n);
      }
    }
    return out;
  };
  const nameFa = p.name_fa ?? row.nameFa;
  const variantsEn = [...p.variants_en, ...fresh([row.nameEn, ...row.variantsEn])];
  if (p.name_fa === null && nameFa) known.add(normalizeText(nameFa));
  const variantsFa = [
    ...p.variants_fa,
    ...fresh([...(p.name_fa !== null && row.nameFa ? [row.nameFa] : []), ...row.variantsFa]),
  ];
  const coords = p.lat === null && row.lat !== null;
  if (
    nameFa === p.name_fa &&
    variantsEn.length === p.variants_en.length &&
    variantsFa.length === p.variants_fa.length &&
    !coords
  )
    return false;
  const names = { nameEn: p.name_en, nameFa, variantsEn, variantsFa };
  await m.query(
    `WITH old AS (SELECT * FROM locations WHERE id = $1 FOR UPDATE),
          upd AS (
            UPDATE locations l SET name_fa = $2, variants_en = $3::text[], variants_fa = $4::text[], names_norm = $5::text[],
                   lat = $6, lon = $7, precision = $8, version = l.version + 1, updated_at = now()
              FROM old WHERE l.id = old.id RETURNING l.*)
     INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after, reason)
     SELECT $9::uuid, 'update', 'locations', upd.id, to_jsonb(old), to_jsonb(upd), $10 FROM upd, old`,
    [
      p.id,
      nameFa,
      variantsEn,
      variantsFa,
      locationNamesNorm(names),
      coords ? row.lat : p.lat,
      coords ? row.lon : p.lon,
      coords ? row.precision : p.precision,
      actorId,
      `${reason}: names or coordinates learned`,
    ],
  );
  return true;
}

async function insertPlace(
  m: EntityManager,
  actorId: string | null,
  id: string,
  row: LocationRow,
  parent: Parent,
  reason: string,
): Promise<void> {
  const path = [...(parent?.path ?? []), id];
  await m.query(
    `WITH ins AS (
       INSERT INTO locations (id, kind, parent_id, name_en, name_fa, variants_en, variants_fa, names_norm, path, depth, lat, lon, precision)
       VALUES ($1, $2, $3, $4, $5, $6::text[], $7::text[], $8::text[], $9::uuid[], $10, $11, $12, $13) RETURNING *)
     INSERT INTO audit_log (actor_id, action, entity, entity_id, after, reason)
     SELECT $14::uuid, 'create', 'locations', ins.id, to_jsonb(ins), $15 FROM ins`,
    [
      id,
      row.kind,
      parent?.id ?? null,
      row.nameEn,
      row.nameFa,
      row.variantsEn,
      row.variantsFa,
      locationNamesNorm(row),
      path,
      path.length - 1,
      row.lat,
      row.lon,
      row.precision,
      actorId,
      reason,
    ],
  );
}

export function importLocationRecords(
  ds: DataSource,
  records: AsyncIterable<InputRecord> | Iterable<InputRecord>,
  opt: ImportOptions = {},
): Promise<ImportReport> {
  return runImport(ds, 'locations', records, opt, locationsBody);
}
