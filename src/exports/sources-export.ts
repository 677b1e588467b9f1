import type { DataSource, EntityManager } from 'typeorm';
import { dualDate } from '../common/date-columns.js';
import {
  begin,
  iso,
  pages,
  withoutRestricted,
  writerFor,
  type ExportOptions,
  type ExportSummary,
  type Row,
} from './export-common.js';
import type { Flat, Sink } from './writers.js';

export const SOURCE_EXPORT_COLUMNS = [
  'id',
  'kind',
  'title',
  'publisher',
  'author',
  'published_from',
  'published_to',
  'published_precision',
  'published_original',
  'published_label',
  'published_jalali',
  'language',
  'url',
  'archived_url',
  'sha256',
  'reliability',
  'interest_note',
  'restricted',
  'internal_notes',
  'relays',
  'cites',
  'created_at',
  'updated_at',
] as const;

/** Every source (public view: the unrestricted ones), with the sources it relays and cites. */
export async function exportSources(
  ds: DataSource,
  sink: Sink,
  opt: ExportOptions,
): Promise<ExportSummary> {
  const ctx = await begin(ds, sink, opt, 'sources');
  const where = ctx.restricted ? 'TRUE' : 'NOT x.restricted';
  const attach = async (m: EntityManager, rows: Row[]): Promise<void> => {
    const links = await m.query<{ source_id: string; target_id: string; relation: string }[]>(
      `SELECT l.source_id, l.target_id, l.relation FROM source_links l JOIN sources t ON t.id = l.target_id
        WHERE l.source_id = ANY($1::uuid[]) AND ($2::boolean OR NOT t.restricted) ORDER BY l.created_at, l.target_id`,
      [rows.map((r) => r.id), ctx.restricted],
    );
    for (const r of rows) {
      r.relays = links
        .filter((l) => l.source_id === r.id && l.relation === 'relays')
        .map((l) => l.target_id);
      r.cites = links
        .filter((l) => l.source_id === r.id && l.relation === 'cites')
        .map((l) => l.target_id);
    }
  };
  const columns = withoutRestricted(SOURCE_EXPORT_COLUMNS, ctx.restricted);
  const w = writerFor(ctx, columns);
  let records = 0;
  for await (const rows of pages(ctx, 'SELECT x.* FROM sources x', where, [], attach)) {
    for (const s of rows) {
      const d = dualDate(
        (s.published_from as string) ?? null,
        (s.published_to as string) ?? null,
        (s.published_precision as string) ?? null,
      );
      const rec: Flat = {
        ...s,
        published_label: d?.gregorian.label ?? null,
        published_jalali: d?.jalali.label ?? null,
      };
      rec.created_at = iso(s.created_at);
      rec.updated_at = iso(s.updated_at);
      await w.row(Object.fromEntries(columns.map((c) => [c, rec[c] ?? null])));
      records++;
    }
  }
  await w.end();
  return { kind: 'sources', format: opt.format, records, restricted: ctx.restricted };
}
