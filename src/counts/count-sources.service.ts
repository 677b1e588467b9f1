import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { seesRestricted, type Actor } from '../common/actor.js';
import { AppError } from '../common/errors.js';
import type { Population } from '../reconciliation/reconcile.js';
import { ReconciliationService } from '../reconciliation/reconciliation.service.js';
import type { BuiltFilter } from '../victim-scope/victim-filter.js';
import { CountsRepository, keySql, UNKNOWN } from './counts.repository.js';
import { KeyLabels, populationOf } from './counts.service.js';
import {
  countedStatuses,
  DEFAULT_DOCUMENTED_RULE,
  folding,
  type DocumentedRule,
} from '../victim-scope/documented.js';
import { rollupAnswers } from '../victim-scope/rollup-sql.js';
import { decodeSourceCursor, encodeSourceCursor, filtersOf, sourcesLink } from './sources-link.js';
import { populationCondition, tuneForAggregates } from '../victim-scope/victim-sql.js';
import { parseGroupBy, type GroupBy } from './dto/counts-query.dto.js';
import {
  DEFAULT_SOURCES_PAGE,
  type CountSourcesQueryDto,
  type CountSourcesResponseDto,
} from './dto/count-sources.dto.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The condition (alias `v`, on columns the victims and the rollups share) that selects the
 * records of one bucket key, or the reason the key is not one of `d`'s.
 */
export function bucketCondition(
  d: GroupBy,
  raw: string,
  p: (v: unknown) => string,
  sees: boolean,
): string | { problem: string } {
  if (d === 'source') return { problem: 'a bucket grouped by source has one source: itself' };
  if (d === 'province' || d === 'city') {
    if (raw === UNKNOWN.none) return 'v.location_id IS NULL';
    if (raw.startsWith(UNKNOWN.inPrefix)) {
      const id = raw.slice(UNKNOWN.inPrefix.length);
      if (!UUID.test(id)) return { problem: `"${raw}" is not ~in: followed by a place id` };
      return d === 'province'
        ? `v.location_id IN (SELECT id FROM locations WHERE id = ${p(id)}::uuid AND province_id IS NULL)`
        : `v.location_id IN (SELECT id FROM locations WHERE city_id IS NULL AND coalesce(province_id, id) = ${p(id)}::uuid)`;
    }
    if (!UUID.test(raw)) return { problem: `"${raw}" is not a place id, ~none or ~in:<place id>` };
    return `v.location_id IN (SELECT id FROM locations WHERE ${d}_id = ${p(raw)}::uuid)`;
  }
  if (d === 'day' || d === 'week' || d === 'month') {
    const markers: string[] = [UNKNOWN.undated, UNKNOWN.imprecise];
    if (!DAY.test(raw) && !markers.includes(raw))
      return { problem: `"${raw}" is not a first day (YYYY-MM-DD), ~undated or ~imprecise` };
  } else if (d === 'incident') {
    if (raw !== UNKNOWN.none && !UUID.test(raw))
      return { problem: `"${raw}" is not an incident id or ~none` };
  } else if (!raw.length) return { problem: 'an empty key' };
  return `(${keySql(d, sees)}) = ${p(raw)}`;
}

@Injectable()
export class CountSourcesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: CountsRepository,
    private readonly reconciliation: ReconciliationService,
  ) {}

  async page(q: CountSourcesQueryDto, actor: Actor): Promise<CountSourcesResponseDto> {
    const parsed = q.groupBy === undefined ? { dims: [] as GroupBy[] } : parseGroupBy(q.groupBy);
    if ('problem' in parsed) throw AppError.invalid('groupBy', parsed.problem);
    const keys = q.bucket === undefined ? [] : q.bucket.split(',');
    if (keys.length > parsed.dims.length) {
      throw AppError.invalid(
        'bucket',
        `give a key for each grouping of groupBy (${parsed.dims.length}), or for the first of two, comma-separated`,
      );
    }
    const cursor = q.cursor === undefined ? null : decodeSourceCursor(q.cursor);
    if (q.cursor !== undefined && !cursor)
      throw AppError.invalid('cursor', 'not a cursor this service gave (use the next link)');
    return this.reconciliation.aggregateTurn(() =>
      this.ds.transaction('REPEATABLE READ', (m) =>
        this.run(m, q, parsed.dims.slice(0, keys.length), keys, cursor, actor),
      ),
    );
  }

  private async run(
    m: EntityManager,
    q: CountSourcesQueryDto,
    dims: GroupBy[],
    keys: string[],
    cursor: { victims: number; id: string } | null,
    actor: Actor,
  ): Promise<CountSourcesResponseDto> {
    const sees = seesRestricted(actor);
    if (q.source !== undefined) {
      const s = await this.repo.source(m, q.source);
      if (!s || (s.restricted && !sees))
        throw AppError.invalid('source', `no source with id ${q.source}`);
    }
    const population = (q.population ?? populationOf(q)) as Population;
    const scope = await this.reconciliation.resolveScope(m, q, population, actor);
    const params = [...scope.filter.params];
    const p = (v: unknown): string => {
      params.push(v);
      return `$${params.length}`;
    };
    const conds = [scope.filter.where];
    dims.forEach((d, i) => {
      const c = bucketCondition(d, keys[i], p, sees);
      if (typeof c !== 'string') throw AppError.invalid('bucket', c.problem);
      conds.push(c);
    });
    const pop = q.population === undefined ? null : populationCondition(q.population);
    if (pop) conds.push(pop);
    const filter: BuiltFilter = { ...scope.filter, where: conds.join(' AND '), params };
    await tuneForAggregates(m);
    const rule = (q.documented ?? DEFAULT_DOCUMENTED_RULE) as DocumentedRule;
    const counted = countedStatuses(rule, scope.filter.statuses);
    const fold = await folding(m, filter, { counted, seesRestricted: sees });
    const rows = await this.repo.aggregate(m, filter, [], {
      seesRestricted: sees,
      sourcesPerBucket: 2 ** 31 - 1,
      fromRollups: this.useRollups && !pop && rollupAnswers(q, dims, population) ? 'place' : null,
      rule: { counted, folded: fold.folded },
    });
    const all = rows
      .filter((r) => r.kind === 'source' && r.level === 0 && r.n > 0)
      .map((r) => ({ id: r.sourceId!, victims: r.n }))
      .sort((a, b) => b.victims - a.victims || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const after = cursor
      ? all.filter(
          (s) => s.victims < cursor.victims || (s.victims === cursor.victims && s.id > cursor.id),
        )
      : all;
    const limit = q.limit ?? DEFAULT_SOURCES_PAGE;
    const page = after.slice(0, limit);
    const ids = {
      places: [] as string[],
      incidents: [] as string[],
      sources: page.map((s) => s.id),
    };
    dims.forEach((d, i) => {
      const k = keys[i];
      if ((d === 'province' || d === 'city') && k !== UNKNOWN.none)
        ids.places.push(k.replace(UNKNOWN.inPrefix, ''));
      if (d === 'incident' && k !== UNKNOWN.none) ids.incidents.push(k);
    });
    const labels = new KeyLabels(await this.repo.labels(m, ids));
    const last = page[page.length - 1];
    return {
      bucket: dims.map((d, i) => labels.key(d, keys[i])),
      sourceCount: all.length,
      items: page.map((s) => {
        const l = labels.sources.get(s.id);
        return {
          id: s.id,
          title: l?.title ?? '',
          publisher: l?.publisher ?? null,
          victims: s.victims,
        };
      }),
      next:
        after.length > limit
          ? sourcesLink(filtersOf(q), {
              bucket: keys,
              cursor: encodeSourceCursor(last.victims, last.id),
            }) + (q.limit === undefined ? '' : `&limit=${q.limit}`)
          : null,
    };
  }

  /** Whether pages the rollups can answer are read from them (the tests turn it off). */
  useRollups = true;
}
