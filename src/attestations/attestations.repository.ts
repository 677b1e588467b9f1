import { Injectable } from '@nestjs/common';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { SourceEntity } from '../sources/source.entity.js';
import { AttestationEntity } from './attestation.entity.js';

/** Who reads: restricted sources seen or not, and the statuses of records whose attestations show. */
export interface AttestationViewer {
  seesRestricted: boolean;
  /** Null: every record's attestations; else only those of records in one of these statuses. */
  subjectStatuses: string[] | null;
}

export interface AttestationFilter {
  victimId?: string;
  incidentId?: string;
  sourceId?: string;
}

export type AttestationSubjectTable = 'victims' | 'incidents';

/** The queries over attestations that go beyond find/save; every value a bound parameter. */
@Injectable()
export class AttestationsRepository {
  /** Locks the attested record (FOR UPDATE); false when there is none. */
  async lockSubject(
    m: EntityManager,
    table: AttestationSubjectTable,
    id: string,
  ): Promise<boolean> {
    const rows = await m.query<{ id: string }[]>(
      `SELECT id FROM ${table} WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows.length > 0;
  }

  async subjectStatus(
    m: EntityManager,
    table: AttestationSubjectTable,
    id: string,
  ): Promise<string> {
    const [subject] = await m.query<{ status: string }[]>(
      `SELECT status FROM ${table} WHERE id = $1`,
      [id],
    );
    return subject.status;
  }

  /** How many attestations the victim or incident has. */
  async countOf(m: EntityManager, table: AttestationSubjectTable, id: string): Promise<number> {
    const column = table === 'victims' ? 'victim_id' : 'incident_id';
    const [{ n }] = await m.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM attestations WHERE ${column} = $1`,
      [id],
    );
    return n;
  }

  /** Viewers and the public see attestations of published records only. */
  private published(qb: SelectQueryBuilder<AttestationEntity>, viewer: AttestationViewer): void {
    if (!viewer.subjectStatuses) return;
    qb.andWhere(
      `(EXISTS (SELECT 1 FROM victims sv WHERE sv.id = a.victim_id AND sv.status = ANY(:statuses::text[]))
             OR EXISTS (SELECT 1 FROM incidents si WHERE si.id = a.incident_id AND si.status = ANY(:statuses::text[])))`,
      { statuses: viewer.subjectStatuses },
    );
  }

  findOne(
    m: EntityManager,
    id: string,
    viewer: AttestationViewer,
  ): Promise<AttestationEntity | null> {
    const qb = m
      .getRepository(AttestationEntity)
      .createQueryBuilder('a')
      .where('a.id = :id', { id });
    this.published(qb, viewer);
    return qb.getOne();
  }

  /** One page of attestations, oldest first, and the total. */
  list(
    m: EntityManager,
    f: AttestationFilter,
    viewer: AttestationViewer,
    limit: number,
    offset: number,
  ): Promise<[AttestationEntity[], number]> {
    const qb = m
      .getRepository(AttestationEntity)
      .createQueryBuilder('a')
      .innerJoin(SourceEntity, 's', 's.id = a.source_id');
    if (!viewer.seesRestricted) qb.andWhere('s.restricted = false');
    this.published(qb, viewer);
    if (f.victimId) qb.andWhere('a.victim_id = :victimId', { victimId: f.victimId });
    if (f.incidentId) qb.andWhere('a.incident_id = :incidentId', { incidentId: f.incidentId });
    if (f.sourceId) qb.andWhere('a.source_id = :sourceId', { sourceId: f.sourceId });
    qb.orderBy('a.created_at', 'ASC').addOrderBy('a.id', 'ASC');
    qb.take(limit).skip(offset);
    return qb.getManyAndCount();
  }
}
