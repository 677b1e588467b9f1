import type { EntityManager } from 'typeorm';
import { seesRestricted, statusesVisibleTo, type Actor } from '../common/actor.js';
import {
  buildVictimFilter,
  parseStatuses,
  type BuiltFilter,
  type VictimFilterDto,
} from './victim-filter.js';

/**
 * Who may see which victims: the one place the victims' list, the counts, the reconciliation and
 * the exports take it from.
 *
 * - Workflow statuses: researchers and above see the statuses they ask for; viewers and the
 *   public only verified records, whatever they ask (common/actor.ts, statusesVisibleTo).
 * - Confidence: a reader who may not see restricted sources is given, filtered and counted by
 *   the confidence the other sources support (victims.public_confidence).
 * - Records: for that reader, a record no source they may see attests (its own attestations and
 *   those of the records merged into it) is not there at all: it would be a number without a
 *   source. The counts and the reconciliation apply this through the (victim, source) pairs they
 *   count (victim-sql.ts, attestationPairs) and the rollups' `public` flag; a list of records
 *   through publicRecordSql; a reader of one record's attestations through attestedForReader.
 */
export interface VictimScope extends BuiltFilter {
  /** The reader sees restricted fields and sources, and records only they attest. */
  seesRestricted: boolean;
}

/** The statuses of the `status` parameter (parseStatuses) that `viewer` may see; may be empty. */
export function visibleStatuses(viewer: Actor, status: string | undefined): string[] {
  return statusesVisibleTo(viewer, parseStatuses(status));
}

/**
 * The victim filter as `viewer` may see it: the statuses they may see, the confidence they are
 * given. `statuses` when the caller has them already (visibleStatuses). `records`: the filter
 * selects victim records themselves (not rollup keys), and leaves out those this reader may not
 * see (publicRecordSql).
 */
export async function victimScope(
  m: EntityManager,
  f: VictimFilterDto,
  viewer: Actor,
  opts: { statuses?: string[]; records?: boolean } = {},
): Promise<VictimScope> {
  const sees = seesRestricted(viewer);
  const statuses = opts.statuses ?? visibleStatuses(viewer, f.status);
  const built = await buildVictimFilter(m, f, 1, { publicConfidence: !sees, statuses });
  const where = opts.records ? `${built.where}${publicRecordSql(sees)}` : built.where;
  return { ...built, where, seesRestricted: sees };
}

/**
 * ` AND …` (alias `v`, a victim record) keeping only the records a reader who may not see
 * restricted data may see; '' for one who may. The rollup member of a counted record says
 * whether a source that is not restricted attests it or a record merged into it (kept by
 * trigger: migrations/1764000006000 and 1764000150000).
 */
export function publicRecordSql(seesRestricted: boolean): string {
  return seesRestricted
    ? ''
    : ` AND EXISTS (SELECT 1 FROM victim_rollup_members rm WHERE rm.victim_id = v.id AND rm.public)`;
}

/**
 * The same rule for a record whose attestations (its own and its merged records', already
 * limited to the sources this reader may see) are in hand: shown when the reader sees
 * restricted data or when any remain.
 */
export function attestedForReader(seesRestricted: boolean, visibleAttestations: number): boolean {
  return seesRestricted || visibleAttestations > 0;
}
