import type { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import type { ImportReport } from './import-report.js';
import { PlaceMatcher } from './place-matcher.js';
import { readRecords, type InputRecord } from './record-reader.js';
import type { FieldIssue } from './row-fields.js';
import { SourceResolver } from './source-resolver.js';
import { checkOptions, runImport, type ImportContext, type ImportOptions } from './import-run.js';
import { CLAIM_COLUMNS, type ClaimRow, readClaimRow } from './claim-rows.js';

async function claimsBody(
  ctx: ImportContext,
  records: AsyncIterable<InputRecord> | Iterable<InputRecord>,
): Promise<boolean> {
  const { m, report, opt } = ctx;
  const places = await PlaceMatcher.load(m);
  const sources = new SourceResolver(m, report);
  const defaults = { credibility: opt.credibility ?? 6, status: opt.status ?? 'draft' };
  // Relays may point forward in the file: a claims file is read whole (such files are small).
  const rows: { rec: InputRecord; row: ClaimRow }[] = [];
  for await (const rec of records) {
    report.read++;
    const r = readClaimRow(rec.values, places, defaults);
    if (!r.ok) ctx.reject(rec, r.issues);
    else rows.push({ rec, row: r.row });
  }

  const ids = rows.map((r) => r.row.id);
  const present = new Set(
    (
      await m.query<
        {
          id: string;
        }[]
      >(`SELECT id FROM count_claims WHERE id = ANY($1::uuid[])`, [ids])
    ).map((r) => r.id),
  );
  const inFile = new Set<string>();
  const fresh: typeof rows = [];
  for (const r of rows) {
    if (present.has(r.row.id) || inFile.has(r.row.id)) report.alreadyPresent++;
    else fresh.push(r);
    inFile.add(r.row.id);
  }

  await sources.prefetch(
    fresh.flatMap((r) =>
      [r.row.source, ...(r.row.attributed ? [r.row.attributed] : [])].map((s) => ({
        ...s,
        source: null,
      })),
    ),
  );
  const refIds = (pick: (r: ClaimRow) => string | null): string[] => [
    ...new Set(fresh.map((r) => pick(r.row)).filter((x): x is string => !!x)),
  ];
  const incidents = new Set(
    (
      await m.query<{ id: string }[]>(`SELECT id FROM incidents WHERE id = ANY($1::uuid[])`, [
        refIds((r) => r.incidentId),
      ])
    ).map((r) => r.id),
  );
  const relayTargets = new Set([
    ...inFile,
    ...(
      await m.query<{ id: string }[]>(`SELECT id FROM count_claims WHERE id = ANY($1::uuid[])`, [
        refIds((r) => r.relaysClaimId),
      ])
    ).map((r) => r.id),
  ]);

  const planned: (ClaimRow & { sourceId: string; attributedSourceId: string | null })[] = [];
  for (const r of fresh) {
    const issues: FieldIssue[] = [];
    const src = sources.resolve({ ...r.row.source, source: null });
    if ('problem' in src)
      issues.push({ field: 'source_id', rule: 'an unknown source id', reason: src.problem });
    let attributedSourceId: string | null = null;
    if (r.row.attributed) {
      const a = sources.resolve({ ...r.row.attributed, source: null });
      if ('problem' in a)
        issues.push({
          field: 'attributed_source_id',
          rule: 'an unknown source id',
          reason: a.problem,
        });
      else attributedSourceId = a.id;
    }
    if (r.row.incidentId && !incidents.has(r.row.incidentId)) {
      issues.push({
        field: 'incident_id',
        rule: 'incident_id is not a known incident',
        reason: `no incident with id ${r.row.incidentId}`,
      });
    }
    if (r.row.relaysClaimId && !relayTargets.has(r.row.relaysClaimId)) {
      issues.push({
        field: 'relays_claim_id',
        rule: 'relays_claim_id is not a known claim',
        reason: `no claim with id ${r.row.relaysClaimId}`,
      });
    }
    if (issues.length) ctx.reject(r.rec, issues);
    else planned.push({ ...r.row, sourceId: (src as { id: string }).id, attributedSourceId });
  }
  // Claims go in relay order, so each relayed claim exists before the claims relaying it.
  const ordered: typeof planned = [];
  const placed = new Set<string>();
  let left = planned;
  while (left.length) {
    const ready = left.filter(
      (c) =>
        !c.relaysClaimId ||
        placed.has(c.relaysClaimId) ||
        !inFile.has(c.relaysClaimId) ||
        present.has(c.relaysClaimId),
    );
    if (!ready.length) break;
    for (const c of ready) placed.add(c.id);
    ordered.push(...ready);
    left = left.filter((c) => !placed.has(c.id));
  }
  for (const c of left) {
    const rec = fresh.find((r) => r.row.id === c.id)!.rec;
    ctx.reject(rec, [
      {
        field: 'relays_claim_id',
        rule: 'relays form a cycle',
        reason: `relays form a cycle, or relay a rejected claim (${c.relaysClaimId})`,
      },
    ]);
  }
  report.imported += ordered.length;
  if (!ctx.writing() || !ordered.length) return false;

  await sources.flush(ctx.actor, report.importId);
  const reason = `import ${report.importId}`;
  for (let i = 0; i < ordered.length; i += 2000) {
    const p = ordered.slice(i, i + 2000);
    const col = <K extends keyof (typeof p)[number]>(k: K): (typeof p)[number][K][] =>
      p.map((x) => x[k]);
    await m.query(
      `WITH ins AS (
         INSERT INTO count_claims (id, source_id, attributed_source_id, category, qualifier, low, best, high,
                                   location_id, date_from, date_to, incident_id, population, population_note, basis,
                                   published_date, excerpt, locator, credibility, status, internal_notes,
                                   relays_claim_id, created_by)
         SELECT t.*, $22::uuid
           FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[],
                       $9::uuid[], $10::date[], $11::date[], $12::uuid[], $13::text[], $14::text[], $15::text[],
                       $16::date[], $17::text[], $18::text[], $19::smallint[], $20::text[], $21::text[],
                       $24::uuid[]) AS t
         RETURNING *
       )
       INSERT INTO audit_log (actor_id, action, entity, entity_id, after, reason)
       SELECT $22::uuid, 'create', 'count_claims', ins.id, jsonb_strip_nulls(to_jsonb(ins)), $23 FROM ins`,
      [
        col('id'),
        col('sourceId'),
        col('attributedSourceId'),
        col('category'),
        col('qualifier'),
        col('low'),
        col('best'),
        col('high'),
        col('locationId'),
        col('dateFrom'),
        col('dateTo'),
        col('incidentId'),
        col('population'),
        col('populationNote'),
        col('basis'),
        col('publishedDate'),
        col('excerpt'),
        col('locator'),
        col('credibility'),
        col('status'),
        col('internalNotes'),
        ctx.actor.userId,
        reason,
        col('relaysClaimId'),
      ],
    );
  }
  return false;
}

export async function importClaimRecords(
  ds: DataSource,
  records: AsyncIterable<InputRecord> | Iterable<InputRecord>,
  opt: ImportOptions = {},
): Promise<ImportReport> {
  checkOptions(opt);
  return runImport(ds, 'claims', records, opt, claimsBody);
}

/** Imports a claims file (CSV or JSON, the columns of our claims export); each claim names its source by id or URL. */
export async function importClaims(
  ds: DataSource,
  input: Readable,
  opt: ImportOptions = {},
): Promise<ImportReport> {
  checkOptions(opt);
  return runImport(
    ds,
    'claims',
    readRecords(input, opt.format ?? 'csv', CLAIM_COLUMNS),
    opt,
    claimsBody,
  );
}
