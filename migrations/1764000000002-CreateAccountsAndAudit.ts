import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAccountsAndAudit1764000000002 implements MigrationInterface {
  name = 'CreateAccountsAndAudit1764000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "audit_log" ("id" BIGSERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_id" uuid, "action" text NOT NULL, "entity" text NOT NULL, "entity_id" uuid NOT NULL, "before" jsonb, "after" jsonb, "reason" text, CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_audit_log_actor" ON "audit_log"  ("actor_id", "id")`);
    await q.query(
      `CREATE INDEX "ix_audit_log_entity" ON "audit_log"  ("entity", "entity_id", "id")`,
    );
    await q.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "email" text, "role" text NOT NULL, "password_hash" text, "disabled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_users_role" CHECK (role IN ('viewer', 'researcher', 'reviewer', 'admin')), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "api_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "name" text NOT NULL, "token_hash" text NOT NULL, "prefix" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c587455266b5fa8dace7194caac" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_api_tokens_user" ON "api_tokens"  ("user_id")`);
    await q.query(`CREATE UNIQUE INDEX "ux_api_tokens_hash" ON "api_tokens"  ("token_hash")`);
    await q.query(
      `ALTER TABLE "api_tokens" ADD CONSTRAINT "FK_b74883f5884a42fd8496d389b25" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "ux_users_email" ON "users" (lower(email)) WHERE email IS NOT NULL`,
    );
    await q.query(`CREATE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
    $$`);
    await q.query(
      `CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION audit_log_immutable()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_log_no_update_delete ON "audit_log"`);
    await q.query(`DROP FUNCTION audit_log_immutable()`);
    await q.query(`DROP INDEX "ux_users_email"`);
    await q.query(`ALTER TABLE "api_tokens" DROP CONSTRAINT "FK_b74883f5884a42fd8496d389b25"`);
    await q.query(`DROP INDEX "ux_api_tokens_hash"`);
    await q.query(`DROP INDEX "ix_api_tokens_user"`);
    await q.query(`DROP TABLE "api_tokens"`);
    await q.query(`DROP TABLE "users"`);
    await q.query(`DROP INDEX "ix_audit_log_entity"`);
    await q.query(`DROP INDEX "ix_audit_log_actor"`);
    await q.query(`DROP TABLE "audit_log"`);
  }
}
