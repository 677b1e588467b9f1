import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDomainTables1764000000001 implements MigrationInterface {
  name = 'CreateDomainTables1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "locations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" text NOT NULL, "parent_id" uuid, "name_en" text NOT NULL, "name_fa" text, "variants_en" text array NOT NULL DEFAULT '{}', "variants_fa" text array NOT NULL DEFAULT '{}', "names_norm" text array NOT NULL DEFAULT '{}', "path" uuid array NOT NULL, "depth" integer NOT NULL, "lat" double precision, "lon" double precision, "precision" text, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_locations_name" CHECK (length(btrim(name_en)) > 0), CONSTRAINT "ck_locations_not_own_parent" CHECK (parent_id <> id), CONSTRAINT "ck_locations_latlon_pair" CHECK ((lat IS NULL) = (lon IS NULL)), CONSTRAINT "ck_locations_lon" CHECK (lon BETWEEN -180 AND 180), CONSTRAINT "ck_locations_lat" CHECK (lat BETWEEN -90 AND 90), CONSTRAINT "ck_locations_precision" CHECK (precision IN ('exact', 'approximate', 'centroid')), CONSTRAINT "ck_locations_kind" CHECK (kind IN ('country', 'province', 'county', 'city', 'district', 'site')), CONSTRAINT "PK_7cc1c9e3853b94816c094825e74" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_locations_parent" ON "locations"  ("parent_id")`);
    await q.query(
      `CREATE TABLE "incidents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "title" text NOT NULL, "title_fa" text, "description" text, "date_from" date, "date_to" date, "date_precision" text, "date_original" text, "location_id" uuid, "category" text NOT NULL DEFAULT 'other', "perpetrators" text array NOT NULL DEFAULT '{}', "status" text NOT NULL DEFAULT 'draft', "internal_notes" text, CONSTRAINT "ck_incidents_title" CHECK (length(btrim(title)) > 0), CONSTRAINT "ck_incidents_date_pair" CHECK ((date_from IS NULL) = (date_to IS NULL)), CONSTRAINT "ck_incidents_date_range" CHECK (date_from <= date_to), CONSTRAINT "ck_incidents_date_precision" CHECK (date_precision IN ('day', 'month', 'year', 'range')), CONSTRAINT "ck_incidents_status" CHECK (status IN ('draft', 'submitted', 'verified', 'disputed', 'retracted')), CONSTRAINT "ck_incidents_category" CHECK (category IN ('protest', 'shooting', 'mass_arrest', 'raid', 'execution', 'funeral', 'other')), CONSTRAINT "PK_ccb34c01719889017e2246469f9" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_incidents_date" ON "incidents"  ("date_from")`);
    await q.query(`CREATE INDEX "ix_incidents_location" ON "incidents"  ("location_id")`);
    await q.query(
      `CREATE TABLE "sources" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "kind" text NOT NULL, "title" text NOT NULL, "publisher" text, "author" text, "published_from" date, "published_to" date, "published_precision" text, "published_original" text, "language" text, "url" text, "archived_url" text, "sha256" text, "reliability" text NOT NULL DEFAULT 'F', "interest_note" text, "restricted" boolean NOT NULL DEFAULT false, "internal_notes" text, CONSTRAINT "ck_sources_title" CHECK (length(btrim(title)) > 0), CONSTRAINT "ck_sources_sha256" CHECK (sha256 ~ '^[0-9a-f]{64}$'), CONSTRAINT "ck_sources_published_range" CHECK (published_from <= published_to), CONSTRAINT "ck_sources_published_precision" CHECK (published_precision IN ('day', 'month', 'year', 'range')), CONSTRAINT "ck_sources_reliability" CHECK (reliability IN ('A', 'B', 'C', 'D', 'E', 'F')), CONSTRAINT "ck_sources_kind" CHECK (kind IN ('report', 'news', 'statement', 'official', 'testimony', 'court', 'social_media', 'dataset')), CONSTRAINT "PK_85523beafe5a2a6b90b02096443" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "ux_sources_url" ON "sources"  ("url") WHERE url IS NOT NULL`,
    );
    await q.query(
      `CREATE TABLE "victims" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "name_fa" text, "name_en" text, "name_variants" text array NOT NULL DEFAULT '{}', "name_search" text NOT NULL DEFAULT '', "gender" text, "age" integer, "age_min" integer, "age_max" integer, "age_band" text, "occupation" text, "harm" text NOT NULL, "date_from" date, "date_to" date, "date_precision" text, "date_calendar" text, "date_original" text, "location_id" uuid, "place_precision" text, "place_original" text, "cause" text, "perpetrator" text, "armed" boolean, "incident_id" uuid, "status" text NOT NULL DEFAULT 'draft', "confidence" text NOT NULL DEFAULT 'unattested', "merged_into" uuid, "witness_names" text, "family_contact" text, "internal_notes" text, "import_key" text, CONSTRAINT "ck_victims_not_merged_into_self" CHECK (merged_into <> id), CONSTRAINT "ck_victims_place_precision" CHECK (place_precision IN ('exact', 'parent', 'approximate')), CONSTRAINT "ck_victims_date_pair" CHECK ((date_from IS NULL) = (date_to IS NULL)), CONSTRAINT "ck_victims_date_range" CHECK (date_from <= date_to), CONSTRAINT "ck_victims_date_calendar" CHECK (date_calendar IN ('gregorian', 'jalali')), CONSTRAINT "ck_victims_date_precision" CHECK (date_precision IN ('day', 'month', 'year', 'range')), CONSTRAINT "ck_victims_confidence" CHECK (confidence IN ('confirmed', 'probable', 'possible', 'unattested')), CONSTRAINT "ck_victims_status" CHECK (status IN ('draft', 'submitted', 'verified', 'disputed', 'retracted')), CONSTRAINT "ck_victims_perpetrator" CHECK (perpetrator IN ('irgc', 'basij', 'police', 'nopo', 'security_forces', 'military', 'plainclothes', 'judiciary', 'prison_authorities', 'unknown', 'other')), CONSTRAINT "ck_victims_cause" CHECK (cause IN ('gunshot_head', 'gunshot_neck', 'gunshot_chest', 'gunshot_abdomen', 'gunshot_back', 'gunshot_limb', 'gunshot_unspecified', 'pellets', 'beating', 'tear_gas', 'torture', 'execution', 'vehicle', 'fire', 'unknown', 'other')), CONSTRAINT "ck_victims_age_band" CHECK (age_band IN ('0-11', '12-17', '18-24', '25-34', '35-44', '45-59', '60+')), CONSTRAINT "ck_victims_age_range" CHECK (age_min <= age_max), CONSTRAINT "ck_victims_age" CHECK (age BETWEEN 0 AND 130), CONSTRAINT "ck_victims_gender" CHECK (gender IN ('male', 'female', 'other')), CONSTRAINT "ck_victims_harm" CHECK (harm IN ('killed', 'injured', 'detained', 'disappeared', 'executed')), CONSTRAINT "PK_36e54b9fe73d6e09c30f964507d" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "ux_victims_import_key" ON "victims"  ("import_key") WHERE import_key IS NOT NULL`,
    );
    await q.query(`CREATE INDEX "ix_victims_merged_into" ON "victims"  ("merged_into")`);
    await q.query(`CREATE INDEX "ix_victims_incident" ON "victims"  ("incident_id")`);
    await q.query(`CREATE INDEX "ix_victims_date" ON "victims"  ("date_from", "id")`);
    await q.query(
      `CREATE INDEX "ix_victims_location_date" ON "victims"  ("location_id", "date_from", "id")`,
    );
    await q.query(
      `CREATE TABLE "attestations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "source_id" uuid NOT NULL, "victim_id" uuid, "incident_id" uuid, "locator" text, "excerpt" text, "asserted_fields" text array NOT NULL DEFAULT '{}', "credibility" smallint NOT NULL, "primary_evidence" boolean NOT NULL DEFAULT false, CONSTRAINT "ck_attestations_credibility" CHECK (credibility BETWEEN 1 AND 6), CONSTRAINT "ck_attestations_one_subject" CHECK (num_nonnulls(victim_id, incident_id) = 1), CONSTRAINT "PK_5bfe0da3020a6f609762f559d17" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_attestations_incident" ON "attestations"  ("incident_id")`);
    await q.query(
      `CREATE INDEX "ix_attestations_source" ON "attestations"  ("source_id", "victim_id")`,
    );
    await q.query(
      `CREATE INDEX "ix_attestations_victim" ON "attestations"  ("victim_id", "source_id")`,
    );
    await q.query(`CREATE TABLE "count_claims" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version" integer NOT NULL DEFAULT '1', "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "source_id" uuid NOT NULL, "category" text NOT NULL, "qualifier" text NOT NULL, "low" integer, "best" integer, "high" integer, "location_id" uuid, "date_from" date, "date_to" date, "incident_id" uuid, "population" text NOT NULL DEFAULT 'all', "population_note" text, "basis" text NOT NULL, "published_date" date, "excerpt" text, "locator" text, "credibility" smallint NOT NULL, "relays_claim_id" uuid, "attributed_source_id" uuid, "status" text NOT NULL DEFAULT 'draft', "internal_notes" text, CONSTRAINT "ck_count_claims_shape" CHECK (CASE qualifier
     WHEN 'exact' THEN best IS NOT NULL
     WHEN 'at_least' THEN low IS NOT NULL
     WHEN 'more_than' THEN low IS NOT NULL
     WHEN 'about' THEN best IS NOT NULL
     WHEN 'at_most' THEN high IS NOT NULL
     WHEN 'up_to' THEN high IS NOT NULL
     ELSE low IS NOT NULL AND high IS NOT NULL
   END), CONSTRAINT "ck_count_claims_not_self_relay" CHECK (relays_claim_id <> id), CONSTRAINT "ck_count_claims_date_range" CHECK (date_from <= date_to), CONSTRAINT "ck_count_claims_best_in_range" CHECK (best BETWEEN coalesce(low, best) AND coalesce(high, best)), CONSTRAINT "ck_count_claims_low_high" CHECK (low <= high), CONSTRAINT "ck_count_claims_non_negative" CHECK (low >= 0 AND best >= 0 AND high >= 0), CONSTRAINT "ck_count_claims_credibility" CHECK (credibility BETWEEN 1 AND 6), CONSTRAINT "ck_count_claims_status" CHECK (status IN ('draft', 'submitted', 'verified', 'disputed', 'retracted')), CONSTRAINT "ck_count_claims_population" CHECK (population IN ('all', 'non_security', 'protesters', 'bystanders', 'security_forces', 'children', 'women')), CONSTRAINT "ck_count_claims_basis" CHECK (basis IN ('named_list', 'estimate', 'official', 'leak', 'crowdsourced')), CONSTRAINT "ck_count_claims_qualifier" CHECK (qualifier IN ('exact', 'at_least', 'more_than', 'about', 'at_most', 'up_to', 'between', 'estimates_range')), CONSTRAINT "ck_count_claims_category" CHECK (category IN ('killed', 'injured', 'detained', 'disappeared', 'executed')), CONSTRAINT "PK_6585e7e9cc397ef7a0db78533cc" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "ix_count_claims_relays" ON "count_claims"  ("relays_claim_id")`);
    await q.query(
      `CREATE INDEX "ix_count_claims_category" ON "count_claims"  ("category", "location_id")`,
    );
    await q.query(`CREATE INDEX "ix_count_claims_source" ON "count_claims"  ("source_id")`);
    await q.query(
      `CREATE TABLE "source_links" ("source_id" uuid NOT NULL, "target_id" uuid NOT NULL, "relation" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_source_links_not_self" CHECK (source_id <> target_id), CONSTRAINT "ck_source_links_relation" CHECK (relation IN ('relays', 'cites')), CONSTRAINT "PK_69e26e77898bb40fb84885c8bb5" PRIMARY KEY ("source_id", "target_id", "relation"))`,
    );
    await q.query(`CREATE INDEX "ix_source_links_target" ON "source_links"  ("target_id")`);
    await q.query(
      `ALTER TABLE "locations" ADD CONSTRAINT "FK_ce8370570fc9bb582e9510b94a0" FOREIGN KEY ("parent_id") REFERENCES "locations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "incidents" ADD CONSTRAINT "FK_cae6c66de36d0c20369907ab435" FOREIGN KEY ("location_id") REFERENCES "locations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "victims" ADD CONSTRAINT "FK_6cd7b7f63a3c66ba1fdec5c7930" FOREIGN KEY ("location_id") REFERENCES "locations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "victims" ADD CONSTRAINT "FK_472cd1f4809f42adb3624e1d0b3" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "victims" ADD CONSTRAINT "FK_6cd59df0b21c7d29efde1ac16b1" FOREIGN KEY ("merged_into") REFERENCES "victims"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "attestations" ADD CONSTRAINT "FK_c6ddc6f26cdddc0a0cf0646d659" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "attestations" ADD CONSTRAINT "FK_118733e6ba30cc496826b720118" FOREIGN KEY ("victim_id") REFERENCES "victims"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "attestations" ADD CONSTRAINT "FK_81027a221a4778be902ee16c5c3" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "count_claims" ADD CONSTRAINT "FK_6b5606bad5bf00d2642c3d4c37a" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "count_claims" ADD CONSTRAINT "FK_fb88ab1dc9917f9b24138e142c2" FOREIGN KEY ("location_id") REFERENCES "locations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "count_claims" ADD CONSTRAINT "FK_1052e143b110cb5faefedec542d" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "count_claims" ADD CONSTRAINT "FK_a1b50c22cfb697cb6c5386a352b" FOREIGN KEY ("relays_claim_id") REFERENCES "count_claims"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "count_claims" ADD CONSTRAINT "FK_22e6c17df15b0d7170119545959" FOREIGN KEY ("attributed_source_id") REFERENCES "sources"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "source_links" ADD CONSTRAINT "FK_5aa4fa8c194ff6c21f51d302cd5" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "source_links" ADD CONSTRAINT "FK_5058470f6db32dcbee1bb04a0ab" FOREIGN KEY ("target_id") REFERENCES "sources"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(`CREATE INDEX "ix_locations_path" ON "locations" USING gin ("path")`);
    await q.query(`CREATE INDEX "ix_locations_names_norm" ON "locations" USING gin ("names_norm")`);
    await q.query(
      `CREATE INDEX "ix_victims_name_trgm" ON "victims" USING gin ("name_search" gin_trgm_ops)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_victims_name_trgm"`);
    await q.query(`DROP INDEX "ix_locations_names_norm"`);
    await q.query(`DROP INDEX "ix_locations_path"`);
    await q.query(`ALTER TABLE "source_links" DROP CONSTRAINT "FK_5058470f6db32dcbee1bb04a0ab"`);
    await q.query(`ALTER TABLE "source_links" DROP CONSTRAINT "FK_5aa4fa8c194ff6c21f51d302cd5"`);
    await q.query(`ALTER TABLE "count_claims" DROP CONSTRAINT "FK_22e6c17df15b0d7170119545959"`);
    await q.query(`ALTER TABLE "count_claims" DROP CONSTRAINT "FK_a1b50c22cfb697cb6c5386a352b"`);
    await q.query(`ALTER TABLE "count_claims" DROP CONSTRAINT "FK_1052e143b110cb5faefedec542d"`);
    await q.query(`ALTER TABLE "count_claims" DROP CONSTRAINT "FK_fb88ab1dc9917f9b24138e142c2"`);
    await q.query(`ALTER TABLE "count_claims" DROP CONSTRAINT "FK_6b5606bad5bf00d2642c3d4c37a"`);
    await q.query(`ALTER TABLE "attestations" DROP CONSTRAINT "FK_81027a221a4778be902ee16c5c3"`);
    await q.query(`ALTER TABLE "attestations" DROP CONSTRAINT "FK_118733e6ba30cc496826b720118"`);
    await q.query(`ALTER TABLE "attestations" DROP CONSTRAINT "FK_c6ddc6f26cdddc0a0cf0646d659"`);
    await q.query(`ALTER TABLE "victims" DROP CONSTRAINT "FK_6cd59df0b21c7d29efde1ac16b1"`);
    await q.query(`ALTER TABLE "victims" DROP CONSTRAINT "FK_472cd1f4809f42adb3624e1d0b3"`);
    await q.query(`ALTER TABLE "victims" DROP CONSTRAINT "FK_6cd7b7f63a3c66ba1fdec5c7930"`);
    await q.query(`ALTER TABLE "incidents" DROP CONSTRAINT "FK_cae6c66de36d0c20369907ab435"`);
    await q.query(`ALTER TABLE "locations" DROP CONSTRAINT "FK_ce8370570fc9bb582e9510b94a0"`);
    await q.query(`DROP INDEX "ix_source_links_target"`);
    await q.query(`DROP TABLE "source_links"`);
    await q.query(`DROP INDEX "ix_count_claims_source"`);
    await q.query(`DROP INDEX "ix_count_claims_category"`);
    await q.query(`DROP INDEX "ix_count_claims_relays"`);
    await q.query(`DROP TABLE "count_claims"`);
    await q.query(`DROP INDEX "ix_attestations_victim"`);
    await q.query(`DROP INDEX "ix_attestations_source"`);
    await q.query(`DROP INDEX "ix_attestations_incident"`);
    await q.query(`DROP TABLE "attestations"`);
    await q.query(`DROP INDEX "ix_victims_location_date"`);
    await q.query(`DROP INDEX "ix_victims_date"`);
    await q.query(`DROP INDEX "ix_victims_incident"`);
    await q.query(`DROP INDEX "ix_victims_merged_into"`);
    await q.query(`DROP INDEX "ux_victims_import_key"`);
    await q.query(`DROP TABLE "victims"`);
    await q.query(`DROP INDEX "ux_sources_url"`);
    await q.query(`DROP TABLE "sources"`);
    await q.query(`DROP INDEX "ix_incidents_location"`);
    await q.query(`DROP INDEX "ix_incidents_date"`);
    await q.query(`DROP TABLE "incidents"`);
    await q.query(`DROP INDEX "ix_locations_parent"`);
    await q.query(`DROP TABLE "locations"`);
  }
}
