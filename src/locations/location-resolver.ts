import type { EntityManager } from 'typeorm';
import { AppError } from '../common/errors.js';
import { feedCache, LOCATION_FILTER_CACHE } from '../common/change-feed.js';
import { queryPrepared } from '../common/prepared.js';
import { normalizeText } from '../common/persian.js';
import { LOOSE_SQL, looseNameKey } from './location-names.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ResolvedLocation {
  id: string;
  kind: string;
  nameEn: string;
  nameFa: string | null;
  /** Ids from the root to the place itself. */
  path: string[];
  /** How a name that was not a plain match was read (absent for an id or a single match). */
  resolution?: LocationResolution;
}

/** A place the answer names as another reading of the query, to narrow it by id. */
export interface LocationAlternative {
  id: string;
  kind: string;
  nameEn: string;
  nameFa: string | null;
}

/**
 * How `location=` was read when the name was not one place's name: a name shared by a province
 * and places inside it (Tehran, Isfahan, Kermanshah: the province and its capital) means the
 * province, which includes them (`resolvedAs: 'containing'`, `alternatives` the places inside to
 * narrow to); a name matched only once spaces, "and"/"va" or an ezafe are ignored
 * (`'spelling'`: "Sistan-va-Baluchestan").
 */
export interface LocationResolution {
  input: string;
  resolvedAs: 'containing' | 'spelling';
  note: string;
  alternatives: LocationAlternative[];
}

/** A resolved place with the ids of everything under it (see resolveLocation's `subtree`). */
export interface ResolvedSubtree extends ResolvedLocation {
  /** The place and every place below it. */
  ids: string[];
  /** Every one of those places lies in the place as their city (a city with its districts). */
  cityOfAll: boolean;
}

interface Row {
  id: string;
  kind: string;
  name_en: string;
  name_fa: string | null;
  path: string[];
  parent_name_en: string | null;
  parent_id: string | null;
  province_name_en: string | null;
  province_id: string | null;
  ids?: string[];
  city_of_all?: boolean;
}

/** How a query reads a name shared by a place and places inside it (see LocationResolution). */
export interface ResolveOptions {
  /**
   * Take the containing place (a filter: Tehran the province includes the city). Without it the
   * name is ambiguous, as where one place must be named (a parent, a record's place).
   */
  containing?: boolean;
}

/**
 * `location=` as researchers type it: an id, or any English or Persian name or variant, in any
 * case, with Arabic letters, a ZWNJ or diacritics (matched on the normalised form; then with
 * spaces and joining words ignored). A name that fits several places is a 400 listing them with
 * their ids and parents, unless `containing` and one of them contains the others.
 */
export async function resolveLocation(
  m: EntityManager,
  input: string,
  field?: string,
  subtree?: false,
  opts?: ResolveOptions,
): Promise<ResolvedLocation>;
export async function resolveLocation(
  m: EntityManager,
  input: string,
  field: string,
  subtree: true,
  opts?: ResolveOptions,
): Promise<ResolvedSubtree>;
/**
 * With `subtree`, the same round trip also returns the ids of the place and everything below it,
 * and whether they all lie in it as their city (what a victims filter needs: one query, not two).
 */
export async function resolveLocation(
  m: EntityManager,
  input: string,
  field = 'location',
  subtree = false,
  opts: ResolveOptions = {},
): Promise<ResolvedLocation | ResolvedSubtree> {
  const text = input.trim();
  if (!text) throw AppError.invalid(field, 'must be a location id or name');
  let rows: Row[];
  let spelling = false;
  // The subtree in one pass over it: its ids, and whether the place is the city of them all.
  const below = subtree
    ? ` LEFT JOIN LATERAL (SELECT array_agg(d.id) AS ids, bool_and(d.city_id IS NOT DISTINCT FROM l.id) AS city_of_all
                             FROM locations d WHERE d.path @> ARRAY[l.id]) s ON true`
    : '';
  const select = `SELECT l.id, l.kind, l.name_en, l.name_fa, l.path, p.name_en AS parent_name_en, p.id AS parent_id,
                         pv.name_en AS province_name_en, pv.id AS province_id${subtree ? ', s.ids, s.city_of_all' : ''}
                    FROM locations l LEFT JOIN locations p ON p.id = l.parent_id
                    LEFT JOIN locations pv ON pv.id = l.province_id AND pv.id <> l.id${below}`;
  if (UUID.test(text)) {
    rows = await queryPrepared<Row>(m, `${select} WHERE l.id = $1`, [text]);
    if (!rows.length)
      throw new AppError('validation', `${field}: no location with id ${text}`, {
        errors: [{ field, reason: `unknown location id ${text}` }],
      });
  } else {
    const norm = normalizeText(text);
    rows = await queryPrepared<Row>(
      m,
      `${select} WHERE l.names_norm @> ARRAY[$1]::text[] ORDER BY l.depth, l.name_en`,
      [norm],
    );
    if (!rows.length && norm) {
      // The same name written with other joins: "Sistan-va-Baluchestan", "سیستان و بلوچستان".
      rows = await m.query<Row[]>(
        `${select} WHERE EXISTS (SELECT 1 FROM unnest(l.names_norm) n WHERE ${LOOSE_SQL('n')} = $1)
          ORDER BY l.depth, l.name_en`,
        [looseNameKey(norm)],
      );
      spelling = rows.length > 0;
    }
    if (!rows.length) {
      const similar = await m.query<{ name_en: string }[]>(
        `SELECT name_en FROM locations, unnest(names_norm) n
          WHERE similarity(n, $1) > 0.3 GROUP BY name_en ORDER BY max(similarity(n, $1)) DESC LIMIT 5`,
        [norm],
      );
      const hint = similar.length
        ? ` Did you mean: ${similar.map((s) => s.name_en).join(', ')}?`
        : '';
      throw new AppError('validation', `${field}: no place is called "${text}".${hint}`, {
        errors: [{ field, reason: `unknown place "${text}"` }],
        suggestions: similar.map((s) => s.name_en),
      });
    }
    const inside = rows.length > 1 && opts.containing ? containingOfAll(rows) : null;
    if (inside) {
      const r = inside.top;
      const kinds = [...new Set(inside.rest.map((x) => x.kind))].join(' and ');
      const place = { id: r.id, kind: r.kind, nameEn: r.name_en, nameFa: r.name_fa, path: r.path };
      const resolution: LocationResolution = {
        input: text,
        resolvedAs: 'containing',
        note:
          `"${text}" names the ${r.kind} ${r.name_en} and the ${kinds} ${inside.rest.map((x) => x.name_en).join(', ')} inside it: ` +
          `the ${r.kind} is taken, which includes ${inside.rest.length === 1 ? 'it' : 'them'}; pass ` +
          `${inside.rest.map((x) => `${x.id} (the ${x.kind})`).join(' or ')} to narrow it.`,
        alternatives: inside.rest.map((x) => ({
          id: x.id,
          kind: x.kind,
          nameEn: x.name_en,
          nameFa: x.name_fa,
        })),
      };
      return subtree
        ? { ...place, resolution, ids: r.ids ?? [r.id], cityOfAll: r.city_of_all ?? false }
        : { ...place, resolution };
    }
    if (rows.length > 1) {
      throw new AppError(
        'ambiguous',
        `${field}: "${text}" names ${rows.length} places; pass one of their ids`,
        {
          errors: [{ field, reason: `ambiguous: ${rows.length} places are called "${text}"` }],
          candidates: rows.map((r) => ({
            id: r.id,
            kind: r.kind,
            nameEn: r.name_en,
            nameFa: r.name_fa,
            parent: r.parent_id ? { id: r.parent_id, nameEn: r.parent_name_en } : null,
            // A town's parent is its county: the province tells two Mahabads apart at a glance.
            province: r.province_id ? { id: r.province_id, nameEn: r.province_name_en } : null,
          })),
        },
      );
    }
  }
  const r = rows[0];
  const place: ResolvedLocation = {
    id: r.id,
    kind: r.kind,
    nameEn: r.name_en,
    nameFa: r.name_fa,
    path: r.path,
  };
  if (spelling)
    place.resolution = {
      input: text,
      resolvedAs: 'spelling',
      note: `"${text}" was read as ${r.name_en} (the same name, written with other spaces or joining words).`,
      alternatives: [],
    };
  return subtree ? { ...place, ids: r.ids ?? [r.id], cityOfAll: r.city_of_all ?? false } : place;
}

/**
 * A `location=` filter on any route (victims, counts, reconciliation, exports, claims, incidents,
 * `within` on places): the place and everything below it. A name shared by a province and its
 * capital is the province, with the city among `resolution.alternatives` to narrow to; a name
 * several unrelated places share is a 400 listing the candidates. Every filter reads a name
 * through this one function, so that they all answer alike.
 */
export function resolveLocationFilter(
  m: EntityManager,
  input: string,
  field = 'location',
): Promise<ResolvedSubtree> {
  const load = (): Promise<ResolvedSubtree> =>
    resolveLocation(m, input, field, true, { containing: true });
  // Outside a transaction (which may have changed places itself), on the server: kept until
  // the gazetteer changes (src/common/change-feed.ts). A name that is refused is not kept.
  const cache = m.queryRunner
    ? null
    : feedCache<ResolvedSubtree>(m.connection, LOCATION_FILTER_CACHE, ['locations'], 10 * 60_000);
  return cache ? cache.through(`${field}\u0000${input}`, load) : load();
}

/**
 * One candidate that contains every other one (each other's path runs through it): Tehran the
 * province holds Tehran the city. Null when the candidates are not nested so (two Mahabads).
 */
function containingOfAll(rows: Row[]): { top: Row; rest: Row[] } | null {
  const top = rows.find((r) => rows.every((o) => o === r || o.path.includes(r.id)));
  return top ? { top, rest: rows.filter((o) => o !== top) } : null;
}

/** The ids of a place and everything below it (a province's cities, a city's districts). */
export async function subtreeIds(m: EntityManager, id: string): Promise<string[]> {
  const rows = await m.query<{ id: string }[]>(
    `SELECT id FROM locations WHERE path @> ARRAY[$1]::uuid[]`,
    [id],
  );
  return rows.map((r) => r.id);
}

/**
 * A place named in a request body: like resolveLocation, but an id that names no place is a
 * reference to a missing record (422), as for any other id in a body.
 */
export async function resolveLocationRef(
  m: EntityManager,
  input: string,
  field = 'location',
): Promise<ResolvedLocation> {
  const text = input.trim();
  if (UUID.test(text)) {
    const [found] = await m.query<unknown[]>(`SELECT 1 FROM locations WHERE id = $1`, [text]);
    if (!found) throw AppError.unprocessable(field, `no location with id ${text}`);
  }
  return resolveLocation(m, text, field);
}
