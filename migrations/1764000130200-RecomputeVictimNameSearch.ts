import type { MigrationInterface, QueryRunner } from 'typeorm';
import { nameSearchText } from '../src/victims/name-search.js';

/**
 * victims.name_search again for every record, with the keys of src/victims/name-search.ts as
 * they are now: the Persian skeleton keeps و and ی (محمود is no longer found as an exact match
 * for محمد, nor حسین for حسن), and every name has cross-script keys (~li for both Ali and علی).
 * The keys are derived data written by the application (the import and the API compute them),
 * so this migration computes them in the same code, page by page, in id order; the dictionary
 * trigger of migration 1764000005100 adds the new words.
 *
 * down() leaves the keys as they are: they are a superset the previous code searches as well
 * (its queries never ask for a "~" key), and recomputing its own keys would need its code.
 */
export class RecomputeVictimNameSearch1764000130200 implements MigrationInterface {
  name = 'RecomputeVictimNameSearch1764000130200';

  async up(q: QueryRunner): Promise<void> {
    let last = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = (await q.query(
        `SELECT id, name_en, name_fa, name_variants FROM victims WHERE id > $1 ORDER BY id LIMIT 5000`,
        [last],
      )) as {
        id: string;
        name_en: string | null;
        name_fa: string | null;
        name_variants: string[];
      }[];
      if (!rows.length) break;
      const texts = rows.map((r) =>
        nameSearchText([r.name_en, r.name_fa, ...(r.name_variants ?? [])]),
      );
      await q.query(
        `UPDATE victims v SET name_search = x.t
           FROM unnest($1::uuid[], $2::text[]) AS x(id, t)
          WHERE v.id = x.id AND v.name_search IS DISTINCT FROM x.t`,
        [rows.map((r) => r.id), texts],
      );
      last = rows[rows.length - 1].id;
    }
  }

  async down(): Promise<void> {
    // The keys stay (see above).
  }
}
