import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { pageOfIds, SqlParams } from '../common/sql-params.js';

/** What GET /api/claims filters on, read and checked by the service. */
export interface ClaimFilter {
  statuses: string[];
  /** Leave out claims carried by or attributed to a restricted source (the public's view). */
  withoutRestrictedSources: boolean;
  category?: string;
  qualifier?: string;
  /** A source carrying the claim or the one it is attributed to. */
  source?: string;
  /** An incident id; null: an incident the reader may not see, which matches nothing. */
  incident?: string | null;
  locationIds?: string[];
}

// Restricted sources (a confidential informant) never surface through a claim they carry.
const NO_RESTRICTED_SOURCE = `NOT EXISTS (SELECT 1 FROM sources s WHERE s.restricted AND s.id IN (c.source_id, c.attributed_source_id))`;

/** The queries over count claims that go beyond find/save; every value a bound parameter. */
@Injectable()
export class ClaimsRepository {
  /** One page of claim ids, latest published first, and the total. */
  async page(
    m: EntityManager,
    f: ClaimFilter,
    limit: number,
    offset: number,
  ): Promise<{ ids: string[]; total: number }> {
    const conds: string[] = [];
    const params = new SqlParams();
    const p = params.p;
    conds.push(`c.status = ANY(${p(f.statuses)}::text[])`);
    if (f.withoutRestrictedSources) conds.push(NO_RESTRICTED_SOURCE);
    if (f.category) conds.push(`c.category = ${p(f.category)}`);
    if (f.qualifier) conds.push(`c.qualifier = ${p(f.qualifier)}`);
    if (f.source) {
      const s = p(f.source);
      conds.push(`(c.source_id = ${s}::uuid OR c.attributed_source_id = ${s}::uuid)`);
    }
    if (f.incident !== undefined)
      conds.push(f.incident === null ? 'FALSE' : `c.incident_id = ${p(f.incident)}::uuid`);
    if (f.locationIds) conds.push(`c.location_id = ANY(${p(f.locationIds)}::uuid[])`);
    return pageOfIds(
      m,
      {
        from: `count_claims c WHERE ${conds.join(' AND ')}`,
        id: 'c.id',
        order: 'c.published_date DESC NULLS LAST, c.created_at DESC, c.id',
        params,
      },
      limit,
      offset,
    );
  }

  /** The claims relaying each of these, oldest first. */
  async relayedBy(m: EntityManager, ids: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (!ids.length) return out;
    const relays = await m.query<{ id: string; relays_claim_id: string }[]>(
      `SELECT id, relays_claim_id FROM count_claims WHERE relays_claim_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [ids],
    );
    for (const r of relays)
      out.set(r.relays_claim_id, [...(out.get(r.relays_claim_id) ?? []), r.id]);
    return out;
  }

  /** The claim and every claim it relays, directly or through others. */
  async relayChain(m: EntityManager, id: string): Promise<string[]> {
    const chain = await m.query<{ id: string }[]>(
      `WITH RECURSIVE chain(id, next) AS (
         SELECT id, relays_claim_id FROM count_claims WHERE id = $1
         UNION
         SELECT c.id, c.relays_claim_id FROM count_claims c JOIN chain ON c.id = chain.next)
       SELECT id FROM chain`,
      [id],
    );
    return chain.map((r) => r.id);
  }

  /** How many claims relay this one as a figure of another category than this. */
  async relaysOfOtherCategory(m: EntityManager, id: string, category: string): Promise<number> {
    const [{ n }] = await m.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM count_claims WHERE relays_claim_id = $1 AND category <> $2`,
      [id, category],
    );
    return n;
  }

  /** The claims relaying this one, by id. */
  async relaysOf(m: EntityManager, id: string): Promise<string[]> {
    const relays = await m.query<{ id: string }[]>(
      `SELECT id FROM count_claims WHERE relays_claim_id = $1 ORDER BY id`,
      [id],
    );
    return relays.map((r) => r.id);
  }
}
