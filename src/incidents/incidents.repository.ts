import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { pageOfIds, SqlParams } from '../common/sql-params.js';
import { publicIncidentSql } from './incident-visibility.js';

/** What GET /api/incidents filters on, read and checked by the service. */
export interface IncidentFilter {
  statuses: string[];
  /** Only incidents attested by at least one unrestricted source (the public's view). */
  publicOnly: boolean;
  locationIds?: string[];
  /** The window's first and last day: an incident overlapping it is in it. */
  from: string | null;
  to: string | null;
  category?: string;
}

/** The queries over incidents that go beyond find/save; every value a bound parameter. */
@Injectable()
export class IncidentsRepository {
  /** One page of incident ids, latest first, and the total. */
  async page(
    m: EntityManager,
    f: IncidentFilter,
    limit: number,
    offset: number,
  ): Promise<{ ids: string[]; total: number }> {
    const conds: string[] = [];
    const params = new SqlParams();
    const p = params.p;
    conds.push(`i.status = ANY(${p(f.statuses)}::text[])`);
    if (f.publicOnly) conds.push(publicIncidentSql('i'));
    if (f.locationIds) conds.push(`i.location_id = ANY(${p(f.locationIds)}::uuid[])`);
    // Overlap: an incident spanning 16–19 Nov is in a window of 18–25 Nov. Undated incidents can't be placed in a window.
    if (f.from) conds.push(`i.date_to >= ${p(f.from)}::date`);
    if (f.to) conds.push(`i.date_from <= ${p(f.to)}::date`);
    if (f.category) conds.push(`i.category = ${p(f.category)}`);
    return pageOfIds(
      m,
      {
        from: `incidents i WHERE ${conds.join(' AND ')}`,
        id: 'i.id',
        order: 'i.date_from DESC NULLS LAST, i.created_at DESC, i.id',
        params,
      },
      limit,
      offset,
    );
  }

  /** How many victims and count claims refer to the incident. */
  async references(m: EntityManager, id: string): Promise<{ victims: number; claims: number }> {
    const [refs] = await m.query<{ victims: number; claims: number }[]>(
      `SELECT (SELECT count(*)::int FROM victims WHERE incident_id = $1) AS victims,
              (SELECT count(*)::int FROM count_claims WHERE incident_id = $1) AS claims`,
      [id],
    );
    return refs;
  }
}
