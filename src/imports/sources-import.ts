import type { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import type { ImportReport } from './import-report.js';
import { readRecords, type InputRecord } from './record-reader.js';
import { nodesOnCycles } from '../sources/source-cycles.js';
import { runImport, type ImportContext, type ImportOptions } from './import-run.js';
import {
  SOURCE_COLUMNS,
  PAPER_KEY_SQL,
  paperKey,
  type SourceRow,
  readSourceRow,
} from './source-rows.js';

async function sourcesBody(
  ctx: ImportContext,
  records: AsyncIterable<InputRecord> | Iterable<InputRecord>,
): Promise<boolean> {
  const { m, report } = ctx;
  // Links may point forward in the file, so a sources file is read whole before anything is
  // written; such files are small (a victims file streams).
  const rows: { rec: InputRecord; row: SourceRow }[] = [];
  const seen = new Set<string>();
  for await (const rec of records) {
    report.read++;
    const r = readSourceRow(rec.values);
    if (!r.ok) ctx.reject(rec, r.issues);
    else rows.push({ rec, row: r.row });
  }
  // Already entered: the same id, the same URL, or the same publisher, title and date (compared
  // without case or spacing), as the API's duplicate check has it.
  const papers = rows.filter((r) => r.row.publisher !== null && r.row.publishedFrom !== null);
  const existing = await m.query<{ id: string; url: string | null; paper: string | null }[]>(
    `SELECT id, url,
            CASE WHEN publisher IS NULL OR published_from IS NULL THEN NULL
                 ELSE ${PAPER_KEY_SQL('publisher', 'title', "to_char(published_from, 'YYYY-MM-DD')")} END AS paper
       FROM sources
      WHERE id = ANY($1::uuid[]) OR url = ANY($2::text[])
         OR (publisher IS NOT NULL AND published_from IS NOT NULL
             AND ${PAPER_KEY_SQL('publisher', 'title', "to_char(published_from, 'YYYY-MM-DD')")} = ANY($3::text[]))
      ORDER BY created_at, id`,
    [
      rows.map((r) => r.row.id),
      rows.map((r) => r.row.url).filter((u): u is string => u !== null),
      papers.map((r) => paperKey(r.row)),
    ],
  );
  const presentIds = new Set(existing.map((e) => e.id));
  const idOfUrl = new Map(existing.filter((e) => e.url).map((e) => [e.url!, e.id]));
  const idOfPaper = new Map<string, string>();
  for (const e of existing)
    if (e.paper !== null && !idOfPaper.has(e.paper)) idOfPaper.set(e.paper, e.id);
  // A row already present under another id (same URL): links naming the file's id mean that one.
  const alias = new Map<string, string>();
  const fresh: { rec: InputRecord; row: SourceRow }[] = [];
  for (const r of rows) {
    const paper = r.row.publisher !== null && r.row.publishedFrom !== null ? paperKey(r.row) : null;
    const dbId = presentIds.has(r.row.id)
      ? r.row.id
      : ((r.row.url ? idOfUrl.get(r.row.url) : undefined) ??
        (paper !== null ? idOfPaper.get(paper) : undefined));
    const earlierInFile =
      seen.has(r.row.id) ||
      (r.row.url !== null && seen.has(r.row.url)) ||
      (paper !== null && seen.has(`paper:${paper}`));
    if (dbId) alias.set(r.row.id, dbId);
    if (dbId || earlierInFile) {
      report.alreadyPresent++;
      report.sourcesExisting++;
    } else fresh.push(r);
    seen.add(r.row.id);
    if (r.row.url) seen.add(r.row.url);
    if (paper !== null) seen.add(`paper:${paper}`);
  }

  // Link targets: sources of this file or of the database.
  const known = new Set(rows.map((r) => r.row.id));
  const targets = [...new Set(fresh.flatMap((r) => [...r.row.relays, ...r.row.cites]))].filter(
    (t) => !known.has(t),
  );
  if (targets.length) {
    const found = await m.query<{ id: string }[]>(
      `SELECT id FROM sources WHERE id = ANY($1::uuid[])`,
      [targets],
    );
    for (const t of found) known.add(t.id);
  }
  for (const r of fresh) {
    r.row.relays = r.row.relays.map((t) => alias.get(t) ?? t);
    r.row.cites = r.row.cites.map((t) => alias.get(t) ?? t);
  }
  const good: SourceRow[] = [];
  for (const r of fresh) {
    const issues = (['relays', 'cites'] as const).flatMap((field) =>
      r.row[field]
        .filter((t) => !known.has(t) && ![...alias.values()].includes(t))
        .map((t) => ({
          field,
          rule: `${field} names an unknown source`,
          reason: `${field} names an unknown source: no source with id ${t}`,
        })),
    );
    if (issues.length) ctx.reject(r.rec, issues);
    else good.push(r.row);
  }
  refuseLoops(ctx, fresh, good);
  report.imported += good.length;
  report.sourcesCreated += good.length;
  if (!ctx.writing() || !good.length) return false;

  const reason = `import ${report.importId}`;
  for (let i = 0; i < good.length; i += 2000) {
    const p = good.slice(i, i + 2000);
    const col = <K extends keyof SourceRow>(k: K): SourceRow[K][] => p.map((x) => x[k]);
    await m.query(
      `WITH ins AS (
         INSERT INTO sources (id, kind, title, publisher, author, published_from, published_to, published_precision,
                              published_original, language, url, archived_url, sha256, reliability, interest_note,
                              restricted, internal_notes, interest, created_by)
         SELECT t.*, $19::uuid
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::date[], $8::text[],
                       $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
                       $16::boolean[], $17::text[], $18::text[]) AS t
         RETURNING *
       )
       INSERT INTO audit_log (actor_id, action, entity, entity_id, after, reason)
       SELECT $19::uuid, 'create', 'sources', ins.id, jsonb_strip_nulls(to_jsonb(ins)), $20 FROM ins`,
      [
        col('id'),
        col('kind'),
        col('title'),
        col('publisher'),
        col('author'),
        col('publishedFrom'),
        col('publishedTo'),
        col('publishedPrecision'),
        col('publishedOriginal'),
        col('language'),
        col('url'),
        col('archivedUrl'),
        col('sha256'),
        col('reliability'),
        col('interestNote'),
        col('restricted'),
        col('internalNotes'),
        col('interest'),
        ctx.actor.userId,
        reason,
      ],
    );
  }
  const links = good.flatMap((s) => [
    ...s.relays.map((t) => [s.id, t, 'relays']),
    ...s.cites.map((t) => [s.id, t, 'cites']),
  ]);
  if (links.length) {
    await m.query(
      `INSERT INTO source_links (source_id, target_id, relation)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[]) ON CONFLICT DO NOTHING`,
      [links.map((l) => l[0]), links.map((l) => l[1]), links.map((l) => l[2])],
    );
  }
  return false;
}

/**
 * Rows of the file whose relays/cites make a loop among themselves (the database's sources link
 * to none of them yet) are rejected, and so, then, is every row linking to a rejected row: a
 * link to a source that is not written would break its foreign key. `good` is filtered in place.
 */
function refuseLoops(
  ctx: ImportContext,
  fresh: { rec: InputRecord; row: SourceRow }[],
  good: SourceRow[],
): void {
  const recOf = new Map(fresh.map((r) => [r.row, r.rec]));
  const ids = new Set(good.map((s) => s.id));
  const edges = new Map(
    good.map((s) => [s.id, [...s.relays, ...s.cites].filter((t) => ids.has(t))] as const),
  );
  const looping = nodesOnCycles(edges);
  const rejected = new Set(fresh.map((r) => r.row.id).filter((id) => !ids.has(id)));
  const keep: SourceRow[] = [];
  for (const s of good) {
    if (!looping.has(s.id)) {
      keep.push(s);
      continue;
    }
    rejected.add(s.id);
    const field = s.relays.some((t) => looping.has(t)) ? 'relays' : 'cites';
    ctx.reject(recOf.get(s)!, [
      {
        field,
        rule: `${field} makes a loop`,
        reason: `${field} makes a loop: ${[...s.relays, ...s.cites].filter((t) => looping.has(t)).join(', ')} relays or cites this source back, directly or through other rows of the file`,
      },
    ]);
  }
  // Rows linking to a rejected row, until none is left.
  for (let changed = true; changed;) {
    changed = false;
    for (let i = keep.length - 1; i >= 0; i--) {
      const s = keep[i];
      const field = s.relays.some((t) => rejected.has(t))
        ? 'relays'
        : s.cites.some((t) => rejected.has(t))
          ? 'cites'
          : null;
      if (!field) continue;
      keep.splice(i, 1);
      rejected.add(s.id);
      changed = true;
      ctx.reject(recOf.get(s)!, [
        {
          field,
          rule: `${field} names a rejected row`,
          reason: `${field} names a source of this file that is rejected: ${s[field].filter((t) => rejected.has(t)).join(', ')}`,
        },
      ]);
    }
  }
  good.splice(0, good.length, ...keep);
}

export async function importSourceRecords(
  ds: DataSource,
  records: AsyncIterable<InputRecord> | Iterable<InputRecord>,
  opt: ImportOptions = {},
): Promise<ImportReport> {
  return runImport(ds, 'sources', records, opt, sourcesBody);
}

/** Imports a sources file (CSV or JSON, the columns of our sources export). */
export async function importSources(
  ds: DataSource,
  input: Readable,
  opt: ImportOptions = {},
): Promise<ImportReport> {
  return runImport(
    ds,
    'sources',
    readRecords(input, opt.format ?? 'csv', SOURCE_COLUMNS),
    opt,
    sourcesBody,
  );
}
