import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { seesRestricted, type Actor } from '../common/actor.js';
import { dualDate } from '../common/date-columns.js';
import { addDays, gregorianMonthLength, toDual } from '../common/dates.js';
import { CONFIDENCES } from '../common/domain.js';
import { AppError } from '../common/errors.js';
import type {
  ConfidenceCountsDto,
  PlaceRefDto,
} from '../reconciliation/dto/reconciliation-response.dto.js';
import type { Population } from '../reconciliation/reconcile.js';
import { ReconciliationService, toSourceRefDto } from '../reconciliation/reconciliation.service.js';
import {
  CountsRepository,
  UNKNOWN,
  type AggregateRow,
  type LabelRows,
} from './counts.repository.js';
import { ADULT_AGE, CHILD_AGE_BANDS } from '../victim-scope/age-bands.js';
import { rollupLevel } from '../victim-scope/rollup-sql.js';
import {
  countedStatuses,
  DEFAULT_DOCUMENTED_RULE,
  documentedRuleText,
  folding,
  type DocumentedRule,
} from '../victim-scope/documented.js';
import { tuneForAggregates } from '../victim-scope/victim-sql.js';
import { filtersOf, nextSourcesLink } from './sources-link.js';
import {
  DEFAULT_SOURCES_PER_BUCKET,
  parseGroupBy,
  type CountsQueryDto,
  type GroupBy,
} from './dto/counts-query.dto.js';
import type {
  BucketDto,
  BucketKeyDto,
  BucketSourceDto,
  CountsResponseDto,
} from './dto/counts-response.dto.js';

const DATE_GROUPS: readonly GroupBy[] = ['day', 'week', 'month'];

const UNKNOWN_WORDS: Partial<Record<GroupBy, [string, string]>> = {
  gender: ['unknown gender', 'جنسیت نامعلوم'],
  ageBand: ['unknown age', 'سن نامعلوم'],
  perpetrator: ['unknown perpetrator', 'عامل نامعلوم'],
  cause: ['unknown cause', 'علت نامعلوم'],
  incident: ['no incident', 'بدون رویداد'],
  source: ['no source', 'بدون منبع'],
};

// Filters that narrow the victims in ways no count claim's scope can state.
const NARROWING_FILTERS = ['perpetrator', 'cause', 'source', 'minConfidence', 'ageMin'] as const;

/** The population a count claim would have to be about to match the gender and age filters. */
export function populationOf(q: CountsQueryDto): Population {
  if (
    (q.ageBand !== undefined && CHILD_AGE_BANDS.includes(q.ageBand)) ||
    (q.ageMax !== undefined && q.ageMax < ADULT_AGE)
  )
    return 'children';
  if (q.gender === 'female') return 'women';
  return 'all';
}

function confidenceCounts(r: AggregateRow): ConfidenceCountsDto {
  const out = {} as ConfidenceCountsDto;
  for (const c of CONFIDENCES) out[c] = r[c];
  return out;
}

/** Labels for the keys of the buckets, built from a few small lookups. */
export class KeyLabels {
  private readonly places: Map<string, LabelRows['places'][number]>;
  private readonly incidents: Map<string, LabelRows['incidents'][number]>;
  readonly sources: Map<string, LabelRows['sources'][number]>;

  constructor(rows: LabelRows) {
    this.places = new Map(rows.places.map((p) => [p.id, p]));
    this.incidents = new Map(rows.incidents.map((i) => [i.id, i]));
    this.sources = new Map(rows.sources.map((s) => [s.id, s]));
  }

  private place(id: string): PlaceRefDto {
    const p = this.places.get(id);
    return p
      ? { id, kind: p.kind, nameEn: p.nameEn, nameFa: p.nameFa }
      : { id, kind: 'unknown', nameEn: id, nameFa: null };
  }

  key(groupBy: GroupBy, raw: string): BucketKeyDto {
    if (groupBy === 'province' || groupBy === 'city') {
      if (raw === UNKNOWN.none)
        return { groupBy, value: null, label: 'unknown place', labelFa: 'مکان نامعلوم' };
      if (raw.startsWith(UNKNOWN.inPrefix)) {
        const within = this.place(raw.slice(UNKNOWN.inPrefix.length));
        const [en, fa] = groupBy === 'city' ? ['city', 'شهر'] : ['province', 'استان'];
        return {
          groupBy,
          value: null,
          label: `unknown ${en} in ${within.nameEn}`,
          labelFa: `${fa} نامعلوم در ${within.nameFa ?? within.nameEn}`,
          within,
        };
      }
      const p = this.place(raw);
      return {
        groupBy,
        value: raw,
        label: p.nameEn,
        labelFa: p.nameFa,
        id: raw,
        nameEn: p.nameEn,
        nameFa: p.nameFa,
      };
    }
    if (DATE_GROUPS.includes(groupBy)) {
      if (raw === UNKNOWN.undated)
        return { groupBy, value: null, label: 'undated', labelFa: 'بی‌تاریخ' };
      if (raw === UNKNOWN.imprecise) {
        return {
          groupBy,
          value: null,
          label: `date not known to the ${groupBy}`,
          labelFa: 'تاریخ دقیق نامعلوم',
        };
      }
      const end =
        groupBy === 'day'
          ? raw
          : groupBy === 'week'
            ? addDays(raw, 6)
            : `${raw.slice(0, 8)}${gregorianMonthLength(Number(raw.slice(0, 4)), Number(raw.slice(5, 7)))}`;
      const period = toDual(
        raw,
        end,
        groupBy === 'month' ? 'month' : groupBy === 'day' ? 'day' : 'range',
      )!;
      return {
        groupBy,
        value: raw,
        label: groupBy === 'week' ? `week of ${raw}` : period.gregorian.label,
        labelFa: period.jalali.labelFa,
        start: raw,
        end,
        period,
      };
    }
    if (groupBy === 'incident') {
      if (raw === UNKNOWN.none)
        return {
          groupBy,
          value: null,
          label: UNKNOWN_WORDS.incident![0],
          labelFa: UNKNOWN_WORDS.incident![1],
        };
      const i = this.incidents.get(raw);
      const incident = { id: raw, title: i?.title ?? raw, titleFa: i?.titleFa ?? null };
      return {
        groupBy,
        value: raw,
        label: incident.title,
        labelFa: incident.titleFa,
        id: raw,
        incident,
      };
    }
    if (groupBy === 'source') {
      if (raw === UNKNOWN.none)
        return {
          groupBy,
          value: null,
          label: UNKNOWN_WORDS.source![0],
          labelFa: UNKNOWN_WORDS.source![1],
        };
      const s = this.sources.get(raw);
      return {
        groupBy,
        value: raw,
        label: s?.title ?? raw,
        id: raw,
        ...(s ? { source: toSourceRefDto(s) } : {}),
      };
    }
    if (raw === UNKNOWN.unknown) {
      const [label, labelFa] = UNKNOWN_WORDS[groupBy]!;
      return { groupBy, value: null, label, labelFa };
    }
    return { groupBy, value: raw, label: raw };
  }

  sourceList(rows: AggregateRow[]): BucketSourceDto[] {
    return rows
      .map((r) => {
        const s = this.sources.get(r.sourceId!);
        return {
          id: r.sourceId!,
          title: s?.title ?? '',
          publisher: s?.publisher ?? null,
          victims: r.n,
        };
      })
      .sort(
        (a, b) =>
          b.victims - a.victims || a.title.localeCompare(b.title) || a.id.localeCompare(b.id),
      );
  }
}

@Injectable()
export class CountsService {
  /**
   * Whether counts the rollups can answer are read from them (they always can be: the tests
   * turn this off to check both ways give the same answer).
   */
  useRollups = true;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: CountsRepository,
    private readonly reconciliation: ReconciliationService,
  ) {}

  async counts(q: CountsQueryDto, actor: Actor): Promise<CountsResponseDto> {
    const parsed = q.groupBy === undefined ? { dims: [] as GroupBy[] } : parseGroupBy(q.groupBy);
    if ('problem' in parsed) throw AppError.invalid('groupBy', parsed.problem);
    // One snapshot for the buckets, their sources and the claims.
    return this.reconciliation.aggregateTurn(() =>
      this.ds.transaction('REPEATABLE READ', (m) => this.run(m, q, parsed.dims, actor)),
    );
  }

  private async run(
    m: EntityManager,
    q: CountsQueryDto,
    dims: GroupBy[],
    actor: Actor,
  ): Promise<CountsResponseDto> {
    const sees = seesRestricted(actor);
    if (q.source !== undefined) {
      const s = await this.repo.source(m, q.source);
      if (!s || (s.restricted && !sees))
        throw AppError.invalid('source', `no source with id ${q.source}`);
    }
    const population = populationOf(q);
    const scope = await this.reconciliation.resolveScope(m, q, population, actor);
    await tuneForAggregates(m);
    const rule = (q.documented ?? DEFAULT_DOCUMENTED_RULE) as DocumentedRule;
    const counted = countedStatuses(rule, scope.filter.statuses);
    const fold = await folding(m, scope.filter, { counted, seesRestricted: sees });
    const rows = await this.repo.aggregate(m, scope.filter, dims, {
      seesRestricted: sees,
      sourcesPerBucket: q.sourcesPerBucket ?? DEFAULT_SOURCES_PER_BUCKET,
      fromRollups: this.useRollups ? rollupLevel(q, dims, population, scope.filter.location) : null,
      rule: { counted, folded: fold.folded },
      scope: {
        harm: q.category ?? null,
        province: scope.filter.location?.kind === 'province' ? scope.filter.location.id : undefined,
      },
    });

    const ids = { places: [] as string[], incidents: [] as string[], sources: [] as string[] };
    for (const r of rows) {
      if (r.sourceId) ids.sources.push(r.sourceId);
      [r.k1, r.k2].forEach((k, i) => {
        const d = dims[i];
        if (k === null || d === undefined) return;
        if ((d === 'province' || d === 'city') && k !== UNKNOWN.none)
          ids.places.push(k.replace(UNKNOWN.inPrefix, ''));
        if (d === 'incident' && k !== UNKNOWN.none) ids.incidents.push(k);
        if (d === 'source' && k !== UNKNOWN.none) ids.sources.push(k);
      });
    }
    const labels = new KeyLabels(await this.repo.labels(m, ids));

    const at = (kind: AggregateRow['kind'], level: number) =>
      rows.filter((r) => r.kind === kind && r.level === level);
    const keyOf = (r: AggregateRow, level: number) => [r.k1, r.k2].slice(0, level).join('\u0000');
    const sourcesAt = (level: number): Map<string, AggregateRow[]> => {
      const map = new Map<string, AggregateRow[]>();
      for (const r of at('source', level)) {
        const k = keyOf(r, level);
        map.set(k, [...(map.get(k) ?? []), r]);
      }
      return map;
    };
    const bySourceAt = dims.indexOf('source');
    const filters = filtersOf(q);
    const sourceRefs = (list: AggregateRow[]) =>
      list.map((r) => ({ id: r.sourceId!, victims: r.n }));
    const bucketsAt = (level: number): BucketDto[] => {
      const sources = sourcesAt(level);
      return at('bucket', level).map((r) => {
        const raw = [r.k1, r.k2].slice(0, level);
        // Grouped by source, the bucket's source is the one it is about.
        const own = bySourceAt >= 0 && bySourceAt < level ? raw[bySourceAt] : undefined;
        const listed =
          own === undefined
            ? (sources.get(keyOf(r, level)) ?? [])
            : own === UNKNOWN.none
              ? []
              : [{ ...r, sourceId: own, sources: 1 }];
        return {
          key: raw.map((k, i) => labels.key(dims[i], k!)),
          count: r.n,
          byConfidence: confidenceCounts(r),
          awaitingReview: r.awaitingReview,
          disputed: r.disputed,
          sources: labels.sourceList(listed),
          sourceCount: listed[0]?.sources ?? 0,
          sourcesNext:
            own === undefined
              ? nextSourcesLink(
                  filters,
                  raw as string[],
                  sourceRefs(listed),
                  listed[0]?.sources ?? 0,
                )
              : null,
        };
      });
    };

    const [total] = at('bucket', 0);
    const buckets = dims.length ? bucketsAt(dims.length) : [];
    const subtotals = dims.length === 2 ? bucketsAt(1) : [];
    const firstCounts = new Map(
      (dims.length === 2 ? subtotals : buckets).map((b) => [b.key[0].value, b.count]),
    );
    sortBuckets(subtotals, dims, firstCounts);
    sortBuckets(buckets, dims, firstCounts);

    const claims = await this.reconciliation.matchingClaims(m, scope.axes, {
      category: q.category ?? null,
      statuses: scope.filter.statuses,
      actor,
    });
    const notes: string[] = [];
    const narrowing = NARROWING_FILTERS.filter((f) => q[f] !== undefined);
    if (q.gender !== undefined && q.gender !== 'female') narrowing.push('gender' as never);
    if (q.ageMax !== undefined && population !== 'children') narrowing.push('ageMax' as never);
    if (narrowing.length) {
      notes.push(
        `Claims are compared on place, time, incident and population only: the filters ${narrowing.join(', ')} narrow the victims further than any claim's scope says.`,
      );
    }
    if (scope.axes.unconstrained?.includes('time')) {
      notes.push('No window was given: each claim counts for the period it states.');
    }

    return {
      query: {
        groupBy: dims,
        category: q.category ?? null,
        location: await this.reconciliation.queryLocation(m, scope),
        from: scope.axes.from ? dualDate(scope.axes.from, scope.axes.from, 'day') : null,
        to: scope.axes.to ? dualDate(scope.axes.to, scope.axes.to, 'day') : null,
        dateMatch: q.dateMatch ?? 'any',
        incident: scope.incident,
        statuses: scope.filter.statuses,
        documented: { rule, countedStatuses: counted, text: documentedRuleText(rule) },
        population,
        filters: Object.fromEntries(
          (
            [
              'gender',
              'ageMin',
              'ageMax',
              'ageBand',
              'perpetrator',
              'cause',
              'source',
              'minConfidence',
            ] as const
          )
            .filter((f) => q[f] !== undefined)
            .map((f) => [f, q[f]]),
        ),
      },
      buckets,
      subtotals,
      totals: {
        count: total?.n ?? 0,
        byConfidence: total
          ? confidenceCounts(total)
          : { confirmed: 0, probable: 0, possible: 0, unattested: 0 },
        awaitingReview: total?.awaitingReview ?? 0,
        possibleDuplicates: fold.possibleDuplicates,
        disputed: total?.disputed ?? 0,
        foldedDuplicates: fold.folded.length,
        sources: labels.sourceList(at('source', 0)),
        sourceCount: at('source', 0)[0]?.sources ?? 0,
        sourcesNext: nextSourcesLink(
          filters,
          [],
          sourceRefs(at('source', 0)),
          at('source', 0)[0]?.sources ?? 0,
        ),
      },
      claims,
      notes,
    };
  }
}

/**
 * Periods in time order, everything else by count (largest first) then label; the bucket of
 * unknown values last. The second key is ordered within the first.
 */
function sortBuckets(
  list: BucketDto[],
  dims: GroupBy[],
  firstCounts: Map<string | null, number>,
): void {
  const cmp = (d: GroupBy, a: BucketKeyDto, b: BucketKeyDto, na: number, nb: number): number => {
    if ((a.value === null) !== (b.value === null)) return a.value === null ? 1 : -1;
    if (DATE_GROUPS.includes(d)) return (a.value ?? a.label).localeCompare(b.value ?? b.label);
    return nb - na || a.label.localeCompare(b.label);
  };
  list.sort((x, y) => {
    const first = cmp(
      dims[0],
      x.key[0],
      y.key[0],
      firstCounts.get(x.key[0].value) ?? 0,
      firstCounts.get(y.key[0].value) ?? 0,
    );
    if (first !== 0 || x.key.length < 2) return first;
    return cmp(dims[1], x.key[1], y.key[1], x.count, y.count);
  });
}
