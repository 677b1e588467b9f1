import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Record linkage (src/duplicates): clusters of records the batch job found likely to be one
 * person, their members, the scored pairs with their evidence, and the reviewers' decisions on
 * pairs (a pair decided "different" is never proposed again). Open and unsure clusters are the
 * unresolved clusters that the documented count counts once (docs/counts.md).
 *
 * `duplicate_scan_keys` is the batch job's working table (no entity): a blocking key and the
 * first known day of each record, written as the job streams the victims and joined with itself
 * block by block, so that memory stays flat however many records there are.
 */
export class CreateDuplicateClusters1764000130000 implements MigrationInterface {
  name = 'CreateDuplicateClusters1764000130000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "duplicate_clusters" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "state" text NOT NULL DEFAULT 'open', "score" real NOT NULL, "size" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "decided_by" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_duplicate_clusters_score" CHECK (score >= 0 AND score <= 1), CONSTRAINT "ck_duplicate_clusters_state" CHECK (state IN ('open', 'unsure', 'same', 'different')), CONSTRAINT "PK_2931023098e207bab4dbf6cd633" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_duplicate_clusters_state_score" ON "duplicate_clusters"  ("state", "score")`,
    );
    await q.query(
      `CREATE TABLE "duplicate_cluster_members" ("cluster_id" uuid NOT NULL, "victim_id" uuid NOT NULL, CONSTRAINT "PK_d669c837409870d8963fad1d10b" PRIMARY KEY ("cluster_id", "victim_id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_duplicate_cluster_members_victim" ON "duplicate_cluster_members"  ("victim_id")`,
    );
    await q.query(
      `CREATE TABLE "duplicate_pairs" ("cluster_id" uuid NOT NULL, "victim_a" uuid NOT NULL, "victim_b" uuid NOT NULL, "score" real NOT NULL, "evidence" jsonb NOT NULL, CONSTRAINT "ck_duplicate_pairs_score" CHECK (score >= 0 AND score <= 1), CONSTRAINT "ck_duplicate_pairs_order" CHECK (victim_a < victim_b), CONSTRAINT "PK_ab379480497ad6c790a909e6e7e" PRIMARY KEY ("cluster_id", "victim_a", "victim_b"))`,
    );
    await q.query(
      `CREATE TABLE "duplicate_decisions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "victim_a" uuid NOT NULL, "victim_b" uuid NOT NULL, "decision" text NOT NULL, "note" text, "decided_by" uuid, "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_duplicate_decisions_decision" CHECK (decision IN ('same', 'different', 'unsure')), CONSTRAINT "ck_duplicate_decisions_order" CHECK (victim_a < victim_b), CONSTRAINT "PK_6f1525bb137b2116cc7c7b4e487" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_duplicate_decisions_b" ON "duplicate_decisions"  ("victim_b")`);
    await q.query(
      `CREATE UNIQUE INDEX "ux_duplicate_decisions_pair" ON "duplicate_decisions"  ("victim_a", "victim_b")`,
    );
    await q.query(
      `ALTER TABLE "duplicate_clusters" ADD CONSTRAINT "FK_fa4175f254367f8508c8167d841" FOREIGN KEY ("decided_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "duplicate_cluster_members" ADD CONSTRAINT "FK_0c381433f7dcd43d9baf451c2c6" FOREIGN KEY ("cluster_id") REFERENCES "duplicate_clusters"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "duplicate_cluster_members" ADD CONSTRAINT "FK_9ba95de2433ea4d0a873fae5f96" FOREIGN KEY ("victim_id") REFERENCES "victims"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "duplicate_pairs" ADD CONSTRAINT "FK_b387fb8933c2610cc820d508a35" FOREIGN KEY ("cluster_id") REFERENCES "duplicate_clusters"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "duplicate_pairs" ADD CONSTRAINT "FK_bf410a1137d1c64924703783575" FOREIGN KEY ("victim_a") REFERENCES "victims"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "duplicate_pairs" ADD CONSTRAINT "FK_6a882e3061513c06c566b636c97" FOREIGN KEY ("victim_b") REFERENCES "victims"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "duplicate_decisions" ADD CONSTRAINT "FK_017acef7fad5e8fc706f3282385" FOREIGN KEY ("victim_a") REFERENCES "victims"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "duplicate_decisions" ADD CONSTRAINT "FK_c6941d9d1060bfbf3b0f9e4d45b" FOREIGN KEY ("victim_b") REFERENCES "victims"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "duplicate_decisions" ADD CONSTRAINT "FK_c53c176090ed955a9d4017a7d56" FOREIGN KEY ("decided_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `CREATE TABLE "duplicate_scan_keys" ("block" text NOT NULL, "victim_id" uuid NOT NULL, "day" integer)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "duplicate_scan_keys"`);
    await q.query(
      `ALTER TABLE "duplicate_decisions" DROP CONSTRAINT "FK_c53c176090ed955a9d4017a7d56"`,
    );
    await q.query(
      `ALTER TABLE "duplicate_decisions" DROP CONSTRAINT "FK_c6941d9d1060bfbf3b0f9e4d45b"`,
    );
    await q.query(
      `ALTER TABLE "duplicate_decisions" DROP CONSTRAINT "FK_017acef7fad5e8fc706f3282385"`,
    );
    await q.query(`ALTER TABLE "duplicate_pairs" DROP CONSTRAINT "FK_6a882e3061513c06c566b636c97"`);
    await q.query(`ALTER TABLE "duplicate_pairs" DROP CONSTRAINT "FK_bf410a1137d1c64924703783575"`);
    await q.query(`ALTER TABLE "duplicate_pairs" DROP CONSTRAINT "FK_b387fb8933c2610cc820d508a35"`);
    await q.query(
      `ALTER TABLE "duplicate_cluster_members" DROP CONSTRAINT "FK_9ba95de2433ea4d0a873fae5f96"`,
    );
    await q.query(
      `ALTER TABLE "duplicate_cluster_members" DROP CONSTRAINT "FK_0c381433f7dcd43d9baf451c2c6"`,
    );
    await q.query(
      `ALTER TABLE "duplicate_clusters" DROP CONSTRAINT "FK_fa4175f254367f8508c8167d841"`,
    );
    await q.query(`DROP INDEX "public"."ux_duplicate_decisions_pair"`);
    await q.query(`DROP INDEX "public"."ix_duplicate_decisions_b"`);
    await q.query(`DROP TABLE "duplicate_decisions"`);
    await q.query(`DROP TABLE "duplicate_pairs"`);
    await q.query(`DROP INDEX "public"."ix_duplicate_cluster_members_victim"`);
    await q.query(`DROP TABLE "duplicate_cluster_members"`);
    await q.query(`DROP INDEX "public"."ix_duplicate_clusters_state_score"`);
    await q.query(`DROP TABLE "duplicate_clusters"`);
  }
}
