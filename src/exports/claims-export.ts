import type { DataSource } from 'typeorm';
import { statusesVisibleTo, PUBLIC_ACTOR } from '../common/actor.js';
import { dualDate } from '../common/date-columns.js';
import { WORKFLOW_STATUSES } from '../common/domain.js';
import { describeFigures } from '../claims/claim-figures.js';
import { publicIncidentSql } from '../incidents/incident-visibility.js';
import {
  begin,
  coordinatesNote,
  iso,
  pages,
  pointOf,
  withoutRestricted,
  writerFor,
  type ExportOptions,
  type ExportSummary,
} from './export-common.js';
import { GeoJsonDoc, type Flat, type Sink } from './writers.js';

export const CLAIM_EXPORT_COLUMNS = [
  'id',
  'source_id',
  'source_title',
  'source_publisher',
  'source_url',
  'attributed_source_id',
  'attributed_source_title',
  'relays_claim_id',
  'category',
  'qualifier',
  'low',
  'best',
  'high',
  'figure',
  'location_id',
  'location_name',
  'date_from',
  'date_to',
  'date_label',
  'date_jalali',
  'incident_id',
  'population',
  'population_note',
  'basis',
  'published_date',
  'published_date_jalali',
  'excerpt',
  'locator',
  'credibility',
  'status',
  'internal_notes',
  'created_at',
  'updated_at',
] as const;

/**
 * Count claims, each with its source. Public view: verified claims only, and none carried by
 * or attributed to a restricted source.
 */
export async function exportClaims(
  ds: DataSource,
  sink: Sink,
  opt: ExportOptions,
): Promise<ExportSummary> {
  const ctx = await begin(ds, sink, opt, 'claims');
  const viewer = ctx.restricted ? opt.actor : PUBLIC_ACTOR;
  const statuses = statusesVisibleTo(
    viewer,
    WORKFLOW_STATUSES.filter((s) => s !== 'retracted'),
  );
  const where = ctx.restricted
    ? `x.status = ANY($1::text[])`
    : `x.status = ANY($1::text[]) AND NOT s.restricted AND (a.id IS NULL OR NOT a.restricted)`;
  const select = `SELECT x.*, s.title AS source_title, s.publisher AS source_publisher, s.url AS source_url,
                         a.title AS attributed_source_title, r.status AS relayed_status,
                         rs.restricted AS relayed_restricted, ra.restricted AS relayed_attributed_restricted,
                         (x.incident_id IS NULL OR EXISTS (SELECT 1 FROM incidents i WHERE i.id = x.incident_id
                                                            AND ${publicIncidentSql('i')})) AS incident_public
                    FROM count_claims x
                    JOIN sources s ON s.id = x.source_id
                    LEFT JOIN sources a ON a.id = x.attributed_source_id
                    LEFT JOIN count_claims r ON r.id = x.relays_claim_id
                    LEFT JOIN sources rs ON rs.id = r.source_id
                    LEFT JOIN sources ra ON ra.id = r.attributed_source_id`;
  const columns = withoutRestricted(CLAIM_EXPORT_COLUMNS, ctx.restricted);
  const w = ctx.opt.format === 'geojson' ? null : writerFor(ctx, columns);
  const doc = w
    ? null
    : new GeoJsonDoc(
        sink,
        'Claims with no place, or whose place has no coordinates: listed here, not drawn.',
      );
  await doc?.begin();
  let records = 0;
  for await (const rows of pages(ctx, select, where, [statuses])) {
    for (const c of rows) {
      records++;
      if (!ctx.restricted && c.incident_public === false) c.incident_id = null;
      // A public reader does not learn of a claim hidden from them through a relay.
      const relayHidden =
        !ctx.restricted &&
        c.relays_claim_id !== null &&
        (!statuses.includes(c.relayed_status as string) ||
          c.relayed_restricted === true ||
          c.relayed_attributed_restricted === true);
      const loc = (c.location_id as string | null) ?? null;
      const d = dualDate((c.date_from as string) ?? null, (c.date_to as string) ?? null, null);
      const p = dualDate(
        (c.published_date as string) ?? null,
        (c.published_date as string) ?? null,
        'day',
      );
      const rec: Flat = {
        ...c,
        relays_claim_id: relayHidden ? null : c.relays_claim_id,
        figure: describeFigures({
          qualifier: c.qualifier as string,
          low: c.low as number | null,
          best: c.best as number | null,
          high: c.high as number | null,
        }),
        location_name: loc ? (ctx.places.get(loc)?.nameEn ?? null) : null,
        date_label: d?.gregorian.label ?? null,
        date_jalali: d?.jalali.label ?? null,
        published_date_jalali: p?.jalali.label ?? null,
        created_at: iso(c.created_at),
        updated_at: iso(c.updated_at),
      };
      const out = Object.fromEntries(columns.map((k) => [k, rec[k] ?? null]));
      if (w) await w.row(out);
      else {
        const pt = pointOf(ctx.places, loc);
        if (pt) await doc!.feature({ ...out, ...coordinatesNote(loc!, pt) }, pt.point);
        else
          await doc!.unlocated({
            id: c.id,
            figure: rec.figure,
            location_id: loc,
            reason: loc ? 'the place has no coordinates' : 'no place',
          });
      }
    }
  }
  if (w) {
    await w.end();
    return { kind: 'claims', format: opt.format, records, restricted: ctx.restricted };
  }
  const done = await doc!.end();
  return {
    kind: 'claims',
    format: 'geojson',
    records,
    located: done.features,
    unlocated: done.unlocated,
    restricted: ctx.restricted,
  };
}
