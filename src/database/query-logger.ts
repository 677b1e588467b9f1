import { Logger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's console loggers print a failed query with its parameters, and a driver message can
 * quote a value: both carry request bodies (witness names, family contacts) into the logs. This
 * one logs the SQL text, the SQLSTATE and the constraint, never a value.
 */
export class RedactingQueryLogger implements TypeOrmLogger {
  private readonly logger = new Logger('Database');

  constructor(private readonly verbose: boolean) {}

  logQuery(query: string): void {
    if (this.verbose) this.logger.debug(query);
  }

  logQueryError(error: string | Error, query: string): void {
    const e = (typeof error === 'object' ? error : {}) as { code?: string; constraint?: string };
    const what = [e.code && `SQLSTATE ${e.code}`, e.constraint && `constraint ${e.constraint}`]
      .filter(Boolean)
      .join(', ');
    this.logger.warn(`query failed${what ? ` (${what})` : ''}: ${query.slice(0, 500)}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${query.slice(0, 500)}`);
  }

  logSchemaBuild(message: string): void {
    if (this.verbose) this.logger.log(message);
  }

  logMigration(message: string): void {
    if (this.verbose) this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else if (this.verbose) this.logger.log(String(message));
  }
}
