import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RELIABILITIES } from '../common/domain.js';
import type { ListSourcesQueryDto } from './dto/list-sources-query.dto.js';
import { SourceEntity } from './source.entity.js';

/** The queries over sources that go beyond find/save; every value a bound parameter. */
@Injectable()
export class SourcesRepository {
  /**
   * A source already entered under the same URL, or with the same publisher, title and
   * publication date (compared without case or spacing): entering it again would double the
   * document every figure and record traces back to.
   */
  async duplicateOf(m: EntityManager, c: Partial<SourceEntity>): Promise<string | null> {
    const rows = await m.query<{ id: string }[]>(
      `SELECT id FROM sources
        WHERE ($1::text IS NOT NULL AND url = $1)
           OR ($2::text IS NOT NULL AND $3::date IS NOT NULL
               AND lower(regexp_replace(btrim(title), '[[:space:]]+', ' ', 'g')) = lower(regexp_replace(btrim($4::text), '[[:space:]]+', ' ', 'g'))
               AND lower(regexp_replace(btrim(publisher), '[[:space:]]+', ' ', 'g')) = lower(regexp_replace(btrim($2::text), '[[:space:]]+', ' ', 'g'))
               AND published_from = $3::date AND published_to IS NOT DISTINCT FROM $5::date)
        ORDER BY created_at, id LIMIT 1`,
      [
        c.url ?? null,
        c.publisher ?? null,
        c.publishedFrom ?? null,
        c.title ?? '',
        c.publishedTo ?? null,
      ],
    );
    return rows[0]?.id ?? null;
  }

  /** One page of sources, newest first, and the total; restricted ones only when asked for. */
  list(
    m: EntityManager,
    q: ListSourcesQueryDto,
    withRestricted: boolean,
  ): Promise<[SourceEntity[], number]> {
    const qb = m.getRepository(SourceEntity).createQueryBuilder('s');
    if (!withRestricted) qb.andWhere('s.restricted = false');
    if (q.kind) qb.andWhere('s.kind = :kind', { kind: q.kind });
    if (q.minReliability) {
      const allowed = RELIABILITIES.slice(0, RELIABILITIES.indexOf(q.minReliability as never) + 1);
      qb.andWhere('s.reliability IN (:...allowed)', { allowed });
    }
    if (q.q)
      qb.andWhere('(s.title ILIKE :q OR s.publisher ILIKE :q)', {
        q: `%${q.q.replace(/[%_\\]/g, '\\$&')}%`,
      });
    qb.orderBy('s.published_from', 'DESC', 'NULLS LAST').addOrderBy('s.id', 'ASC');
    qb.take(q.limit ?? 50).skip(q.offset ?? 0);
    return qb.getManyAndCount();
  }

  /** How many attestations, claims and relays or citations rest on the source. */
  async references(m: EntityManager, id: string): Promise<number> {
    const [{ n }] = await m.query<{ n: string }[]>(
      `SELECT (SELECT count(*) FROM attestations WHERE source_id = $1)
            + (SELECT count(*) FROM count_claims WHERE source_id = $1 OR attributed_source_id = $1)
            + (SELECT count(*) FROM source_links WHERE target_id = $1) AS n`,
      [id],
    );
    return Number(n);
  }

  /** The victims attested by the source or by any source relaying it, directly or through others. */
  async victimsAttestedThrough(m: EntityManager, id: string): Promise<string[]> {
    const rows = await m.query<{ victim_id: string }[]>(
      `WITH RECURSIVE relaying(id) AS (
         SELECT $1::uuid
         UNION
         SELECT l.source_id FROM source_links l JOIN relaying r ON l.target_id = r.id WHERE l.relation = 'relays'
       )
       SELECT DISTINCT a.victim_id FROM attestations a JOIN relaying r ON a.source_id = r.id
        WHERE a.victim_id IS NOT NULL`,
      [id],
    );
    return rows.map((r) => r.victim_id);
  }
}
