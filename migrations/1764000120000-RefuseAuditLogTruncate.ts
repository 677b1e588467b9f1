import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The row trigger of CreateAccountsAndAudit refuses UPDATE and DELETE, but TRUNCATE fires no
 * row trigger: it emptied the audit trail in one statement. A statement trigger refuses it too,
 * whoever asks (the owner and a superuser included; see docs/operations.md for the roles).
 */
export class RefuseAuditLogTruncate1764000120000 implements MigrationInterface {
  name = 'RefuseAuditLogTruncate1764000120000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION audit_log_immutable()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_log_no_truncate ON "audit_log"`);
  }
}
