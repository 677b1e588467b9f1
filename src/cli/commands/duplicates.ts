import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '../../common/actor.js';
import { AppError } from '../../common/errors.js';
import { AttestationsService } from '../../attestations/attestations.service.js';
import { AuditService } from '../../audit/audit.service.js';
import { CLUSTER_STATES, DUPLICATE_DECISIONS } from '../../duplicates/duplicate.entities.js';
import { scanDuplicates } from '../../duplicates/duplicates-scan.js';
import { recordDecision } from '../../duplicates/duplicates.service.js';
import { VictimsRepository } from '../../victims/victims.repository.js';
import { VictimsService } from '../../victims/victims.service.js';
import { PhaseProgress } from '../progress.js';
import type { WithDb } from '../types.js';
import { info, out } from './imports.js';

const QUEUE_COLUMNS = [
  'cluster_id',
  'state',
  'score',
  'size',
  'victim_id',
  'import_key',
  'name_en',
  'name_fa',
  'gender',
  'age',
  'date_from',
  'date_to',
  'place',
  'status',
  'merged_into',
] as const;

const DECISION_COLUMNS = [
  'victim_a',
  'victim_a_key',
  'victim_b',
  'victim_b_key',
  'decision',
  'kept',
  'note',
  'decided_at',
] as const;

/** The queue as rows, one per record of each cluster. */
async function queueRows(ds: DataSource, state: string, limit: number | null) {
  return ds.query<Record<(typeof QUEUE_COLUMNS)[number], unknown>[]>(
    `WITH c AS (SELECT * FROM duplicate_clusters WHERE state = $1 ORDER BY score DESC, id ${limit ? `LIMIT ${limit}` : ''})
     SELECT c.id AS cluster_id, c.state, round(c.score::numeric, 3) AS score, c.size, v.id AS victim_id, v.import_key,
            v.name_en, v.name_fa, v.gender, v.age, v.date_from, v.date_to, l.name_en AS place, v.status, v.merged_into
       FROM c JOIN duplicate_cluster_members cm ON cm.cluster_id = c.id
       JOIN victims v ON v.id = cm.victim_id LEFT JOIN locations l ON l.id = v.location_id
      ORDER BY c.score DESC, c.id, v.id`,
    [state],
  );
}

/**
 * The decisions that must survive a move to another database: every merge (same person, the
 * record kept) and every pair decided different or unsure, each record by id and import key.
 */
export async function decisionRows(ds: DataSource) {
  return ds.query<Record<(typeof DECISION_COLUMNS)[number], unknown>[]>(
    `SELECT v.id AS victim_a, v.import_key AS victim_a_key, t.id AS victim_b, t.import_key AS victim_b_key,
            'same' AS decision, t.id AS kept, NULL AS note, NULL AS decided_at
       FROM victims v JOIN victims t ON t.id = v.merged_into
     UNION ALL
     SELECT a.id, a.import_key, b.id, b.import_key, d.decision, NULL, d.note, d.decided_at::text
       FROM duplicate_decisions d JOIN victims a ON a.id = d.victim_a JOIN victims b ON b.id = d.victim_b
      WHERE d.decision <> 'same'
      ORDER BY 1, 3`,
  );
}

export function registerDuplicateCommands(program: Command, withDb: WithDb): void {
  const dup = program
    .command('duplicates')
    .description(
      'Record linkage: find likely duplicates over the whole database, list and export the review queue',
    );

  dup
    .command('scan')
    .description('Run the batch job: blocking, scoring, clusters (replaces the open clusters)')
    .action(async () => {
      await withDb(async (ds) => {
        const bar = new PhaseProgress('duplicates scan');
        const r = await scanDuplicates(ds, {
          onProgress: (p) => bar.update(p.phase, p.done, p.total),
        });
        bar.finish();
        out(
          `${r.records.toLocaleString('en-US')} records, ${r.candidates.toLocaleString('en-US')} candidate pairs, ${r.pairs.toLocaleString('en-US')} likely duplicates in ${r.clusters.toLocaleString('en-US')} clusters (${r.clustered.toLocaleString('en-US')} records), ${r.refused.toLocaleString('en-US')} pairs refused (they would chain conflicting records), ${r.seconds} s (keys ${r.phases.keys} s, candidates ${r.phases.candidates} s, scoring ${r.phases.scoring} s, clusters ${r.phases.clusters} s)`,
        );
      });
    });

  dup
    .command('list')
    .description('The review queue as CSV on stdout, best clusters first (one row per record)')
    .option('--state <state>', `one of ${CLUSTER_STATES.join(', ')}`, 'open')
    .option('--limit <n>', 'at most this many clusters', '50')
    .action(async (o: { state: string; limit: string }) => {
      if (!(CLUSTER_STATES as readonly string[]).includes(o.state))
        throw AppError.invalid('state', `must be one of ${CLUSTER_STATES.join(', ')}`);
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw AppError.invalid('limit', 'must be a whole number ≥ 1');
      await withDb(async (ds) => {
        process.stdout.write(
          stringify(await queueRows(ds, o.state, limit), {
            header: true,
            columns: [...QUEUE_COLUMNS],
          }),
        );
      });
    });

  dup
    .command('export')
    .description(
      'The whole queue as CSV for a spreadsheet team; with --decisions, the merges and decisions instead (for import-decisions into another database)',
    )
    .option('--state <state>', `the queue's clusters in this state`, 'open')
    .option('--decisions', 'export merges and decisions rather than the queue')
    .option('--out <file>', 'write to this file (default: stdout)')
    .action(async (o: { state: string; decisions?: boolean; out?: string }) => {
      await withDb(async (ds) => {
        const text = o.decisions
          ? stringify(await decisionRows(ds), { header: true, columns: [...DECISION_COLUMNS] })
          : stringify(await queueRows(ds, o.state, null), {
              header: true,
              columns: [...QUEUE_COLUMNS],
            });
        if (o.out) fs.writeFileSync(o.out, text);
        else process.stdout.write(text);
      });
    });

  dup
    .command('import-decisions <file>')
    .description(
      'Apply the merges and decisions of `duplicates export --decisions` to this database (records matched by id, else by import key)',
    )
    .action(async (file: string) => {
      const rows = parse(fs.readFileSync(file), {
        columns: true,
        skip_empty_lines: true,
      }) as Record<(typeof DECISION_COLUMNS)[number], string>[];
      await withDb(async (ds) => {
        const r = await importDecisions(ds, rows);
        out(
          `${r.merged} merged, ${r.decided} decisions, ${r.present} already present, ${r.unmatched} unmatched`,
        );
        if (r.unmatched) process.exitCode = 1;
      });
    });
}

/** Applies exported merges and decisions; a row whose records are not here is counted, not guessed. */
export async function importDecisions(
  ds: DataSource,
  rows: Record<(typeof DECISION_COLUMNS)[number], string>[],
): Promise<{ merged: number; decided: number; present: number; unmatched: number }> {
  const audit = new AuditService();
  const victims = new VictimsService(
    ds,
    audit,
    new AttestationsService(ds, audit),
    new VictimsRepository(),
  );
  const resolve = async (
    id: string,
    key: string,
  ): Promise<{ id: string; version: number; merged_into: string | null } | null> => {
    const [v] = await ds.query<{ id: string; version: number; merged_into: string | null }[]>(
      `SELECT id, version, merged_into FROM victims
        WHERE ($1 <> '' AND id::text = $1) OR ($2 <> '' AND import_key = $2)
        ORDER BY (id::text = $1) DESC LIMIT 1`,
      [id, key],
    );
    return v ?? null;
  };
  const r = { merged: 0, decided: 0, present: 0, unmatched: 0 };
  for (const [i, row] of rows.entries()) {
    if (!(DUPLICATE_DECISIONS as readonly string[]).includes(row.decision))
      throw AppError.invalid(
        `row ${i + 2}: decision`,
        `must be one of ${DUPLICATE_DECISIONS.join(', ')}`,
      );
    const a = await resolve(row.victim_a ?? '', row.victim_a_key ?? '');
    const b = await resolve(row.victim_b ?? '', row.victim_b_key ?? '');
    // A victims export folds a merged record, with its attestations, into the record kept: the
    // merge is there when the record kept is and the merged one is not.
    if (row.decision === 'same' && !a && b && !b.merged_into) {
      r.present++;
      continue;
    }
    if (!a || !b) {
      r.unmatched++;
      continue;
    }
    if (row.decision === 'same') {
      if (a.merged_into === b.id) {
        r.present++;
        continue;
      }
      await victims.merge(
        a.id,
        { into: b.id, version: a.version, reason: 'imported decision: same person' },
        SYSTEM_ACTOR,
      );
      r.merged++;
      continue;
    }
    const [existing] = await ds.query<{ decision: string }[]>(
      `SELECT decision FROM duplicate_decisions WHERE victim_a = least($1::uuid, $2::uuid) AND victim_b = greatest($1::uuid, $2::uuid)`,
      [a.id, b.id],
    );
    if (existing?.decision === row.decision) {
      r.present++;
      continue;
    }
    await ds.transaction((m) =>
      recordDecision(m, audit, SYSTEM_ACTOR, {
        clusterId: null,
        members: [a.id, b.id],
        decision: row.decision,
        reason: row.note || 'imported decision',
      }),
    );
    r.decided++;
  }
  info(`import-decisions: ${rows.length} rows read`);
  return r;
}
