import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What the workflow reads of the evidence behind a record before it is verified. */
@Injectable()
export class WorkflowRepository {
  async sourceExists(m: EntityManager, id: string): Promise<boolean> {
    const [found] = await m.query<unknown[]>(`SELECT 1 FROM sources WHERE id = $1`, [id]);
    return found !== undefined;
  }

  /** How many attestations the victim or incident has. */
  async attestationCount(
    m: EntityManager,
    subject: 'victims' | 'incidents',
    id: string,
  ): Promise<number> {
    const column = subject === 'victims' ? 'victim_id' : 'incident_id';
    const [{ n }] = await m.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM attestations WHERE ${column} = $1`,
      [id],
    );
    return n;
  }
}
