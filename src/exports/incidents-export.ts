import type { DataSource, EntityManager } from 'typeorm';
import { statusesVisibleTo, PUBLIC_ACTOR } from '../common/actor.js';
import { WORKFLOW_STATUSES } from '../common/domain.js';
import {
  begin,
  coordinatesNote,
  dateFields,
  iso,
  pages,
  pathNames,
  pointOf,
  withoutRestricted,
  writerFor,
  type ExportOptions,
  type ExportSummary,
  type Row,
} from './export-common.js';
import { GeoJsonDoc, type Flat, type Sink } from './writers.js';

export const INCIDENT_EXPORT_COLUMNS = [
  'id',
  'title',
  'title_fa',
  'description',
  'category',
  'perpetrators',
  'date_from',
  'date_to',
  'date_precision',
  'date_original',
  'date_label',
  'date_jalali',
  'location_id',
  'location_name',
  'location_path',
  'lat',
  'lon',
  'status',
  'source_ids',
  'attestations',
  'internal_notes',
  'created_at',
  'updated_at',
] as const;

/** Incidents with their attestations; public view: verified ones, unrestricted sources only. */
export async function exportIncidents(
  ds: DataSource,
  sink: Sink,
  opt: ExportOptions,
): Promise<ExportSummary> {
  const ctx = await begin(ds, sink, opt, 'incidents');
  const viewer = ctx.restricted ? opt.actor : PUBLIC_ACTOR;
  const statuses = statusesVisibleTo(
    viewer,
    WORKFLOW_STATUSES.filter((s) => s !== 'retracted'),
  );
  const attach = async (m: EntityManager, rows: Row[]): Promise<void> => {
    const atts = await m.query<Row[]>(
      `SELECT a.incident_id, a.source_id, a.credibility::int AS credibility, a.locator, a.excerpt, a.asserted_fields,
              s.title, s.publisher, s.url, s.reliability
         FROM attestations a JOIN sources s ON s.id = a.source_id
        WHERE a.incident_id = ANY($1::uuid[]) AND ($2::boolean OR NOT s.restricted)
        ORDER BY a.created_at, a.id`,
      [rows.map((r) => r.id), ctx.restricted],
    );
    for (const r of rows)
      r.__attestations = atts
        .filter((a) => a.incident_id === r.id)
        .map(({ incident_id: _i, ...a }) => a);
  };
  const columns = withoutRestricted(INCIDENT_EXPORT_COLUMNS, ctx.restricted);
  const w = ctx.opt.format === 'geojson' ? null : writerFor(ctx, columns);
  const doc = w
    ? null
    : new GeoJsonDoc(
        sink,
        'Incidents with no place, or whose place has no coordinates: listed here, not drawn.',
      );
  await doc?.begin();
  let records = 0;
  for await (const rows of pages(
    ctx,
    'SELECT x.* FROM incidents x',
    'x.status = ANY($1::text[])',
    [statuses],
    attach,
  )) {
    for (const i of rows) {
      const atts = i.__attestations as Row[];
      // An incident known only from restricted sources is not public (as victims are not).
      if (!ctx.restricted && !atts.length) continue;
      records++;
      const loc = (i.location_id as string | null) ?? null;
      const pt = pointOf(ctx.places, loc);
      const rec: Flat = {
        ...i,
        ...dateFields('date', i.date_from, i.date_to, i.date_precision, i.date_original),
        location_name: loc ? (ctx.places.get(loc)?.nameEn ?? null) : null,
        location_path: pathNames(ctx.places, loc),
        lat: pt?.point.lat ?? null,
        lon: pt?.point.lon ?? null,
        source_ids: atts.map((a) => a.source_id),
        attestations: atts,
        created_at: iso(i.created_at),
        updated_at: iso(i.updated_at),
      };
      const out = Object.fromEntries(columns.map((k) => [k, rec[k] ?? null]));
      if (w) await w.row(out);
      else if (pt) await doc!.feature({ ...out, ...coordinatesNote(loc!, pt) }, pt.point);
      else
        await doc!.unlocated({
          id: i.id,
          title: i.title,
          location_id: loc,
          reason: loc ? 'the place has no coordinates' : 'no place',
        });
    }
  }
  if (w) {
    await w.end();
    return { kind: 'incidents', format: opt.format, records, restricted: ctx.restricted };
  }
  const done = await doc!.end();
  return {
    kind: 'incidents',
    format: 'geojson',
    records,
    located: done.features,
    unlocated: done.unlocated,
    restricted: ctx.restricted,
  };
}
