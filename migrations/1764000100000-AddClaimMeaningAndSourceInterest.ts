import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a claim can say and who says it (docs/reconciliation.md): a source's interest in a figure
 * (a structured field beside the free-text interest note), a claim's "as of" date apart from the
 * period it covers, its perpetrator (a scope axis), its breakdown ("230, of whom 6 security
 * forces"), the bases real publishers use, and the open-ended range "between a and b, and
 * possibly more".
 */
export class AddClaimMeaningAndSourceInterest1764000100000 implements MigrationInterface {
  name = 'AddClaimMeaningAndSourceInterest1764000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "sources" ADD "interest" text`);
    await q.query(
      `ALTER TABLE "sources" ADD CONSTRAINT "ck_sources_interest" CHECK (interest IN ('government', 'security_forces', 'armed_group', 'opposition', 'victims_organisation', 'other'))`,
    );
    await q.query(`ALTER TABLE "count_claims" ADD "as_of" date`);
    await q.query(`ALTER TABLE "count_claims" ADD "perpetrator" text`);
    await q.query(`ALTER TABLE "count_claims" ADD "breakdown" jsonb`);
    await q.query(
      `ALTER TABLE "count_claims" ADD CONSTRAINT "ck_count_claims_perpetrator" CHECK (perpetrator IN ('irgc', 'basij', 'police', 'nopo', 'security_forces', 'military', 'plainclothes', 'judiciary', 'prison_authorities', 'unknown', 'other'))`,
    );
    await q.query(
      `ALTER TABLE "count_claims" ADD CONSTRAINT "ck_count_claims_breakdown" CHECK (jsonb_typeof(breakdown) = 'array')`,
    );
    await q.query(`ALTER TABLE "count_claims" DROP CONSTRAINT "ck_count_claims_basis"`);
    await q.query(
      `ALTER TABLE "count_claims" ADD CONSTRAINT "ck_count_claims_basis" CHECK (basis IN ('named_list', 'verified_cases', 'credible_reports', 'own_network', 'estimate', 'official', 'leak', 'crowdsourced', 'unspecified'))`,
    );
    await q.query(`ALTER TABLE "count_claims" DROP CONSTRAINT "ck_count_claims_qualifier"`);
    await q.query(
      `ALTER TABLE "count_claims" ADD CONSTRAINT "ck_count_claims_qualifier" CHECK (qualifier IN ('exact', 'at_least', 'more_than', 'about', 'at_most', 'up_to', 'between', 'between_or_more', 'estimates_range'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "count_claims" WHERE qualifier = 'between_or_more'`);
    await q.query(
      `UPDATE "count_claims" SET basis = 'estimate' WHERE basis IN ('verified_cases', 'credible_reports', 'own_network', 'unspecified')`,
    );
    await q.query(`ALTER TABLE "count_claims" DROP CONSTRAINT "ck_count_claims_qualifier"`);
    await q.query(
      `ALTER TABLE "count_claims" ADD CONSTRAINT "ck_count_claims_qualifier" CHECK (qualifier IN ('exact', 'at_least', 'more_than', 'about', 'at_most', 'up_to', 'between', 'estimates_range'))`,
    );
    await q.query(`ALTER TABLE "count_claims" DROP CONSTRAINT "ck_count_claims_basis"`);
    await q.query(
      `ALTER TABLE "count_claims" ADD CONSTRAINT "ck_count_claims_basis" CHECK (basis IN ('named_list', 'estimate', 'official', 'leak', 'crowdsourced'))`,
    );
    await q.query(`ALTER TABLE "count_claims" DROP CONSTRAINT "ck_count_claims_breakdown"`);
    await q.query(`ALTER TABLE "count_claims" DROP CONSTRAINT "ck_count_claims_perpetrator"`);
    await q.query(`ALTER TABLE "count_claims" DROP COLUMN "breakdown"`);
    await q.query(`ALTER TABLE "count_claims" DROP COLUMN "perpetrator"`);
    await q.query(`ALTER TABLE "count_claims" DROP COLUMN "as_of"`);
    await q.query(`ALTER TABLE "sources" DROP CONSTRAINT "ck_sources_interest"`);
    await q.query(`ALTER TABLE "sources" DROP COLUMN "interest"`);
  }
}
