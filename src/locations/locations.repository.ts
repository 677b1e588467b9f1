import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SqlParams } from '../common/sql-params.js';
import type { PlaceRefDto } from './dto/location-response.dto.js';

export interface PlaceFilter {
  kind?: string;
  parentId?: string;
  withinId?: string;
  /** Normalised type-ahead text (normalizeText), never empty. */
  q?: string;
}

export interface PlaceReferences {
  children: number;
  victims: number;
  incidents: number;
  claims: number;
}

interface SubtreeRow {
  id: string;
  path: string[];
  depth: number;
}

/** The queries over the gazetteer that go beyond find/save; every value a bound parameter. */
@Injectable()
export class LocationsRepository {
  /**
   * One page of place ids matching the filter, best first, and the total. With q: an exact
   * name ranks above the start of a name, which ranks above the start of a later word ("mah"
   * in "bandar e mahshahr"), then near spellings by trigram word similarity. The substring
   * LIKE and the `<%` test both use ix_locations_names_trgm.
   */
  async search(
    m: EntityManager,
    f: PlaceFilter,
    limit: number,
    offset: number,
  ): Promise<{ ids: string[]; total: number }> {
    const conds: string[] = [];
    const params = new SqlParams();
    const p = params.p;
    if (f.kind) conds.push(`l.kind = ${p(f.kind)}`);
    if (f.parentId) conds.push(`l.parent_id = ${p(f.parentId)}::uuid`);
    if (f.withinId) {
      const within = p(f.withinId);
      conds.push(`l.path @> ARRAY[${within}::uuid] AND l.id <> ${within}::uuid`);
    }
    let q: string | undefined;
    if (f.q !== undefined) {
      // normalizeText turns every LIKE wildcard (% _ \) into a space, so q needs no escaping.
      q = p(f.q);
      const anywhere = p(`%${f.q}%`);
      conds.push(
        `(location_names_text(l.names_norm) LIKE ${anywhere} OR ${q} <% location_names_text(l.names_norm))`,
      );
    }
    const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
    const [{ n }] = await m.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM locations l ${where}`,
      [...params.values],
    );
    let rank = '0';
    let similarity = '0::real';
    if (q !== undefined) {
      rank = `(SELECT max(CASE WHEN n = ${q} THEN 3 WHEN n LIKE ${p(`${f.q}%`)} THEN 2 WHEN n LIKE ${p(`% ${f.q}%`)} THEN 1 ELSE 0 END)
                 FROM unnest(l.names_norm) n)`;
      similarity = `word_similarity(${q}, location_names_text(l.names_norm))`;
    }
    const rows = await m.query<{ id: string }[]>(
      // Broader places first among equal matches, by depth not counting a county above: the
      // county of only some towns is known (seed/place-cities.ts), and a town's rank must not
      // depend on it. A county and its seat are then one level, ordered by name: the town first.
      `SELECT l.id, ${rank} AS rank, ${similarity} AS sim,
              l.depth - (SELECT count(*) FROM locations a
                          WHERE a.id = ANY(l.path) AND a.id <> l.id AND a.kind = 'county')::int AS level
         FROM locations l ${where}
        ORDER BY rank DESC, sim DESC, level, l.name_en, l.id
        LIMIT ${p(limit)} OFFSET ${p(offset)}`,
      params.values,
    );
    return { ids: rows.map((r) => r.id), total: n };
  }

  async placeRefs(m: EntityManager, ids: string[]): Promise<Map<string, PlaceRefDto>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await m.query<
      { id: string; kind: string; name_en: string; name_fa: string | null }[]
    >(`SELECT id, kind, name_en, name_fa FROM locations WHERE id = ANY($1::uuid[])`, [unique]);
    return new Map(
      rows.map((r) => [r.id, { id: r.id, kind: r.kind, nameEn: r.name_en, nameFa: r.name_fa }]),
    );
  }

  async references(m: EntityManager, id: string): Promise<PlaceReferences> {
    const [row] = await m.query<PlaceReferences[]>(
      `SELECT (SELECT count(*)::int FROM locations WHERE parent_id = $1) AS children,
              (SELECT count(*)::int FROM victims WHERE location_id = $1) AS victims,
              (SELECT count(*)::int FROM incidents WHERE location_id = $1) AS incidents,
              (SELECT count(*)::int FROM count_claims WHERE location_id = $1) AS claims`,
      [id],
    );
    return row;
  }

  async children(
    m: EntityManager,
    id: string,
  ): Promise<{ id: string; kind: string; nameEn: string }[]> {
    const rows = await m.query<
      {
        id: string;
        kind: string;
        name_en: string;
      }[]
    >(`SELECT id, kind, name_en FROM locations WHERE parent_id = $1 ORDER BY name_en`, [id]);
    return rows.map((r) => ({ id: r.id, kind: r.kind, nameEn: r.name_en }));
  }

  /** Locks a place (a new parent) so that two concurrent moves cannot cross into a cycle. */
  async lockPlace(m: EntityManager, id: string): Promise<{ kind: string; path: string[] }> {
    const [row] = await m.query<
      {
        kind: string;
        path: string[];
      }[]
    >(`SELECT kind, path FROM locations WHERE id = $1 FOR UPDATE`, [id]);
    return row;
  }

  /** The places strictly below `id`, locked, with their paths as they are now. */
  async descendants(m: EntityManager, id: string): Promise<SubtreeRow[]> {
    return await m.query<SubtreeRow[]>(
      `SELECT id, path, depth FROM locations WHERE path @> ARRAY[$1::uuid] AND id <> $1 ORDER BY depth, id FOR UPDATE`,
      [id],
    );
  }

  /**
   * Re-roots the places below a moved place: each path keeps its part below the place and
   * takes the place's new path above it.
   */
  async movePaths(
    m: EntityManager,
    id: string,
    oldDepth: number,
    newPath: string[],
  ): Promise<void> {
    await m.query(
      `UPDATE locations SET path = $1::uuid[] || path[$2::int:], depth = depth + $3::int, updated_at = now()
        WHERE path @> ARRAY[$4::uuid] AND id <> $4`,
      [newPath, oldDepth + 2, newPath.length - 1 - oldDepth, id],
    );
  }
}
