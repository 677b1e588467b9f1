import { resolutionFields } from '../locations/dto/location-resolution.dto.js';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { seesRestricted, type Actor } from '../common/actor.js';
import { dualDate } from '../common/date-columns.js';
import { CONFIDENCES } from '../common/domain.js';
import { AppError } from '../common/errors.js';
import { Limiter } from '../common/limiter.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/configuration.js';
import { rollupLevel } from '../victim-scope/rollup-sql.js';
import { nextSourcesLink } from '../counts/sources-link.js';
import { populationCondition } from '../victim-scope/victim-sql.js';
import { tuneForAggregates } from '../victim-scope/victim-sql.js';
import {
  countedStatuses,
  DEFAULT_DOCUMENTED_RULE,
  documentedRuleText,
  folding,
  type DocumentedRule,
} from '../victim-scope/documented.js';
import type { BuiltFilter, VictimFilterDto } from '../victim-scope/victim-filter.js';
import { victimScope, type VictimScope } from '../victim-scope/visibility.js';
import type {
  BoundDto,
  ClaimOutcomeDto,
  ClaimScopeDto,
  ConfidenceCountsDto,
  PlaceRefDto,
  QueryLocationDto,
  ReconciliationResponseDto,
  SourceRefDto,
  UnreadableClaimDto,
} from './dto/reconciliation-response.dto.js';
import {
  RECONCILIATION_DEFAULTS,
  type ReconciliationQueryDto,
} from './dto/reconciliation-query.dto.js';
import {
  ClaimShapeError,
  claimInterval,
  combineAxes,
  hardFloor,
  upperEnd,
  reconcile,
  scopeAxes,
  type Bound,
  type Category,
  type ClaimBase,
  type ClaimComponent,
  type ClaimInput,
  type Interval,
  type Population,
  type Qualifier,
  type QueryScopeAxes,
  type Reliability,
  type ScopeAxes,
  type ScopeRelation,
  type SourceInterest,
  type SourceRef,
} from './reconcile.js';
import {
  ReconciliationRepository,
  type ClaimRow,
  type IncidentRow,
  type PlaceRow,
  type SourceRow,
} from './reconciliation.repository.js';
import { formatWindow } from './statement.js';

/** How the HTTP query is turned into a scope; published with every result, after the rules. */
export const QUERY_RULES: string[] = [
  'Query defaults. Without a location the query covers the whole gazetteer (its root, when it has exactly one). Without from and to, time is not compared: each figure counts for the period it states; without an incident, incidents are not compared: each figure counts for the incident it names. Give a window or an incident to compare figures in time or by incident. Every other parameter has its default in the API documentation: category killed, population all, perpetrator anyone, minReliability C, minCredibility 3 (so sources graded D, E or F and figures graded 4, 5 or 6 set no bound; minReliability=F and minCredibility=6 accept them), minConfidence unattested, every workflow status but retracted (claims marked disputed are listed and set no bound unless status names disputed).',
  'Documented. The distinct victim records of the category in scope that the documented rule counts (by default verified ones only; see the documented rule): a record merged into another is counted once, as the record it was merged into, with the attestations of both; records whose workflow status is not included (by default, retracted ones) are left out. With a window a victim counts only when its whole known date lies in it; one whose date only overlaps the window (known only as "November 2019" against 16–19 November) is reported as possible and not counted. Population: all counts every record; children, records with an age, age range or age band under 18; women, records of gender female. Victim records do not say who was a protester, a bystander or a member of the security forces, so those populations have no documented count.',
  'Restricted material. A reader who may not see restricted data gets no restricted source, no claim carried by or attributed to a restricted source, and no victim attested only by restricted sources.',
];

export interface ResolvedScope {
  /** The victims in scope, as the reader may see them (src/victim-scope/visibility.ts). */
  filter: VictimScope;
  place: PlaceRow | null;
  placeDefaulted: boolean;
  incident: IncidentRow | null;
  axes: QueryScopeAxes;
}

/** A claim as the counts report it: its figures and how its scope relates to the query. */
export interface MatchingClaim {
  id: string;
  category: string;
  qualifier: string;
  basis: string;
  figures: { low: number | null; best: number | null; high: number | null };
  interval: Interval;
  scopeRelation: ScopeRelation;
  scopeAxes: ScopeAxes;
  /** What it gives this query, by the rules: a minimum when equal or inside, a top when equal or contains. */
  contributes: { low: number | null; high: number | null };
  source: SourceRefDto;
  attributedTo: SourceRefDto | null;
  scope: ClaimScopeDto;
  published: ReturnType<typeof dualDate>;
  excerpt: string | null;
  recordStatus: string;
}

/** A partial date as the rules read it: 2019-11-16, 2019-11, 2019. */
function partialDate(from: string | null, precision: string | null): string | null {
  if (from === null) return null;
  if (precision === 'month') return from.slice(0, 7);
  if (precision === 'year') return from.slice(0, 4);
  return from;
}

function sourceRef(s: SourceRow): SourceRef {
  return {
    id: s.id,
    title: s.title,
    publisher: s.publisher,
    publishedDate: partialDate(s.publishedFrom, s.publishedPrecision),
    reliability: s.reliability as Reliability,
    url: s.url,
    interest: (s.interest ?? null) as SourceInterest | null,
    relays: s.relays ?? [],
  };
}

export function toSourceRefDto(s: SourceRow): SourceRefDto {
  return {
    id: s.id,
    title: s.title,
    publisher: s.publisher,
    reliability: s.reliability,
    interest: s.interest ?? null,
    url: s.url,
    published: dualDate(s.publishedFrom, s.publishedTo, s.publishedPrecision, s.publishedOriginal),
  };
}

function placeRef(p: PlaceRow): PlaceRefDto {
  return { id: p.id, kind: p.kind, nameEn: p.nameEn, nameFa: p.nameFa };
}

function claimInput(r: ClaimRow): ClaimInput {
  return {
    id: r.id,
    category: r.category as Category,
    qualifier: r.qualifier as Qualifier,
    low: r.low,
    best: r.best,
    high: r.high,
    scope: {
      locationPath: r.location?.path ?? [],
      dateFrom: r.dateFrom,
      dateTo: r.dateTo,
      incidentId: r.incidentId,
      population: r.population as Population,
      perpetrator: r.perpetrator,
    },
    basis: r.basis as ClaimBase,
    credibility: r.credibility,
    publishedDate: r.publishedDate,
    excerpt: r.excerpt,
    source: sourceRef(r.source),
    relaysClaimId: r.relaysClaimId,
    attributedTo: r.attributedTo ? sourceRef(r.attributedTo) : null,
    asOf: r.asOf,
    breakdown: (r.breakdown ?? []) as ClaimComponent[],
    recordStatus: r.status,
  };
}

function claimScopeDto(r: ClaimRow): ClaimScopeDto {
  return {
    location: r.location ? placeRef(r.location) : null,
    window:
      r.dateFrom || r.dateTo
        ? dualDate(r.dateFrom, r.dateTo, r.dateFrom === r.dateTo ? 'day' : 'range')
        : null,
    // No title: an incident the reader may not see (reconciliation.repository.ts claims).
    incident:
      r.incidentId && r.incidentTitle !== null
        ? { id: r.incidentId, title: r.incidentTitle, titleFa: r.incidentTitleFa }
        : null,
    population: r.population,
    populationNote: r.populationNote,
    perpetrator: r.perpetrator,
  };
}

function confidenceCounts(by: Record<string, number>): ConfidenceCountsDto {
  const out = {} as ConfidenceCountsDto;
  for (const c of CONFIDENCES) out[c] = by[c] ?? 0;
  return out;
}

@Injectable()
export class ReconciliationService {
  /** Whether documented counts the rollups can answer are read from them (see CountsService). */
  useRollups = true;

  /** Shared with the counts: at most AGGREGATE_CONCURRENCY of either at once. */
  private readonly aggregates: Limiter;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: ReconciliationRepository,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'aggregateConcurrency'>,
  ) {
    this.aggregates = new Limiter(config.aggregateConcurrency);
  }

  /** Runs an aggregate (a count, a reconciliation) when its turn comes. */
  aggregateTurn<T>(task: () => Promise<T>): Promise<T> {
    return this.aggregates.run(task);
  }

  /**
   * The scope shared by the reconciliation and the counts: the victim filter (which resolves
   * the location and parses the window), the incident, and the axes the claims are compared on.
   */
  async resolveScope(
    m: EntityManager,
    f: VictimFilterDto,
    population: Population,
    actor: Actor,
  ): Promise<ResolvedScope> {
    let incident: IncidentRow | null = null;
    if (f.incident !== undefined) {
      incident = await this.repo.incident(m, f.incident, !seesRestricted(actor));
      if (!incident) throw AppError.invalid('incident', `no incident with id ${f.incident}`);
    }
    const filter = await victimScope(m, f, actor);
    let place: PlaceRow | null = null;
    if (filter.location) {
      const l = filter.location;
      place = { id: l.id, kind: l.kind, nameEn: l.nameEn, nameFa: l.nameFa, path: l.path };
    } else {
      place = await this.repo.singleRoot(m);
    }
    const { from, to } = filter.window;
    const unconstrained: ('time' | 'incident')[] = [];
    if (from === null && to === null) unconstrained.push('time');
    if (incident === null) unconstrained.push('incident');
    return {
      filter,
      place,
      placeDefaulted: !filter.location && place !== null,
      incident,
      axes: {
        locationPath: place?.path ?? [],
        from,
        to,
        incidentId: incident?.id ?? null,
        population,
        unconstrained,
      },
    };
  }

  /** The unresolved duplicate clusters in scope, for the documented count (src/victim-scope/documented.ts). */
  private async folding(
    m: EntityManager,
    filter: BuiltFilter,
    population: Population,
    counted: string[],
    sees: boolean,
  ) {
    const params: unknown[] = [];
    const p = (v: unknown): string => {
      params.push(v);
      return `$${filter.params.length + params.length}`;
    };
    const pop = populationCondition(population);
    const certainSql = this.repo.certainSql(filter, p);
    return folding(m, pop ? { ...filter, where: `${filter.where} AND ${pop}` } : filter, {
      counted,
      certainSql,
      extraParams: params,
      seesRestricted: sees,
    });
  }

  async queryLocation(m: EntityManager, scope: ResolvedScope): Promise<QueryLocationDto | null> {
    if (!scope.place) return null;
    const names = await this.repo.places(m, scope.place.path);
    return {
      ...placeRef(scope.place),
      path: scope.place.path.filter((id) => names.has(id)).map((id) => placeRef(names.get(id)!)),
      defaulted: scope.placeDefaulted,
      ...(scope.filter.location ? resolutionFields(scope.filter.location) : {}),
    };
  }

  /**
   * Claims whose scope equals, lies inside or contains the query's (the pure scope rules), for
   * the counts. Claims whose figures can't be read are left out.
   */
  async matchingClaims(
    m: EntityManager,
    axes: QueryScopeAxes,
    opts: { category: string | null; statuses: string[]; actor: Actor },
  ): Promise<MatchingClaim[]> {
    const rows = await this.repo.claims(m, {
      category: opts.category,
      statuses: opts.statuses,
      seesRestricted: seesRestricted(opts.actor),
    });
    const out: MatchingClaim[] = [];
    for (const r of rows) {
      let interval: Interval;
      let axesOf: ScopeAxes;
      try {
        const input = claimInput(r);
        interval = claimInterval(input);
        axesOf = scopeAxes(input.scope, axes);
      } catch (e) {
        if (e instanceof ClaimShapeError) continue;
        throw e;
      }
      const relation = combineAxes(axesOf);
      if (relation === 'differs') continue;
      const q = r.qualifier as Qualifier;
      out.push({
        id: r.id,
        category: r.category,
        qualifier: r.qualifier,
        basis: r.basis,
        figures: { low: r.low, best: r.best, high: r.high },
        interval,
        scopeRelation: relation,
        scopeAxes: axesOf,
        contributes: {
          low: relation === 'contains' ? null : hardFloor(q, interval),
          high: relation === 'inside' ? null : upperEnd(q, interval),
        },
        source: toSourceRefDto(r.source),
        attributedTo: r.attributedTo ? toSourceRefDto(r.attributedTo) : null,
        scope: claimScopeDto(r),
        published: dualDate(r.publishedDate, r.publishedDate, 'day'),
        excerpt: r.excerpt,
        recordStatus: r.status,
      });
    }
    return out;
  }

  async reconcile(q: ReconciliationQueryDto, actor: Actor): Promise<ReconciliationResponseDto> {
    // One snapshot: the documented count and the claims are read at the same moment.
    return this.aggregateTurn(() =>
      this.ds.transaction('REPEATABLE READ', (m) => this.run(m, q, actor)),
    );
  }

  private async run(
    m: EntityManager,
    q: ReconciliationQueryDto,
    actor: Actor,
  ): Promise<ReconciliationResponseDto> {
    const category = (q.category ?? RECONCILIATION_DEFAULTS.category) as Category;
    const population = (q.population ?? RECONCILIATION_DEFAULTS.population) as Population;
    const minReliability = (q.minReliability ??
      RECONCILIATION_DEFAULTS.minReliability) as Reliability;
    const minCredibility = q.minCredibility ?? RECONCILIATION_DEFAULTS.minCredibility;
    const minConfidence = q.minConfidence ?? RECONCILIATION_DEFAULTS.minConfidence;
    const perpetrator = q.perpetrator ?? null;
    const sees = seesRestricted(actor);

    const scope = await this.resolveScope(
      m,
      {
        location: q.location,
        from: q.from,
        to: q.to,
        calendar: q.calendar,
        incident: q.incident,
        category,
        minConfidence: q.minConfidence,
        status: q.status,
        perpetrator: q.perpetrator,
      },
      population,
      actor,
    );
    scope.axes.perpetrator = perpetrator;
    await tuneForAggregates(m);
    const rule = (q.documented ?? DEFAULT_DOCUMENTED_RULE) as DocumentedRule;
    const counted = countedStatuses(rule, scope.filter.statuses);
    const fold = await this.folding(m, scope.filter, population, counted, sees);
    const documented = await this.repo.documented(m, scope.filter, {
      population,
      seesRestricted: sees,
      fromRollups: this.useRollups ? rollupLevel(q, [], population, scope.filter.location) : null,
      counted,
      folded: fold.folded,
      scope: {
        harm: category,
        province: scope.filter.location?.kind === 'province' ? scope.filter.location.id : undefined,
      },
    });
    const beside = {
      rule,
      awaitingReview: documented.awaitingReview,
      possibleDuplicates: fold.possibleDuplicates,
      disputed: documented.disputed,
      foldedDuplicates: fold.folded.length,
    };
    const rows = await this.repo.claims(m, {
      category,
      statuses: scope.filter.statuses,
      seesRestricted: sees,
    });

    const sources = new Map<string, SourceRow>();
    for (const r of rows) {
      sources.set(r.source.id, r.source);
      if (r.attributedTo) sources.set(r.attributedTo.id, r.attributedTo);
    }
    for (const s of documented.sources) sources.set(s.id, s);
    const refDto = (s: SourceRef): SourceRefDto =>
      sources.has(s.id)
        ? toSourceRefDto(sources.get(s.id)!)
        : {
            id: s.id,
            title: s.title,
            publisher: s.publisher,
            reliability: s.reliability,
            interest: s.interest ?? null,
            url: s.url ?? null,
            published: null,
          };

    const label = [
      scope.place ? `in ${scope.place.nameEn}` : '',
      formatWindow(scope.axes.from, scope.axes.to),
      scope.incident ? `(incident “${scope.incident.title}”)` : '',
      perpetrator ? `by ${perpetrator.replace(/_/g, ' ')}` : '',
    ]
      .filter(Boolean)
      .join(' ');

    // A stored claim the rules can't read (e.g. "at least 304" with a high end as well) is
    // set aside with its reason rather than failing the whole reconciliation.
    const unreadable: UnreadableClaimDto[] = [];
    let inputs = rows.map(claimInput);
    let result: ReturnType<typeof reconcile> | undefined;
    while (result === undefined) {
      try {
        result = reconcile(
          {
            ...scope.axes,
            category,
            minReliability,
            minCredibility,
            label,
            defaulted: {
              reliability: q.minReliability === undefined,
              credibility: q.minCredibility === undefined,
            },
            includeDisputed: scope.filter.statuses.includes('disputed') && q.status !== undefined,
          },
          {
            total: documented.total,
            beside,
            byConfidence: documented.byConfidence,
            sources: documented.sources.map((s) => ({
              id: s.id,
              title: s.title,
              publisher: s.publisher,
              victims: s.victims,
            })),
            sourceCount: documented.sourceCount,
          },
          inputs,
        );
      } catch (e) {
        if (!(e instanceof ClaimShapeError) || e.claimId === null) throw e;
        const bad = e.claimId;
        if (!inputs.some((c) => c.id === bad)) throw e;
        unreadable.push({ id: bad, field: e.field, reason: e.reason });
        inputs = inputs.filter((c) => c.id !== bad);
      }
    }

    const rowById = new Map(rows.map((r) => [r.id, r]));
    const claims: ClaimOutcomeDto[] = result.claims.map((o) => {
      const r = rowById.get(o.componentOf ?? o.id)!;
      return {
        id: o.id,
        category: o.category,
        qualifier: o.qualifier,
        basis: o.basis,
        figures: o.figures,
        interval: o.interval,
        status: o.status,
        reason: o.reason,
        scopeRelation: o.scopeRelation,
        scopeAxes: o.scopeAxes,
        role: o.role,
        contributes: o.contributes,
        source: refDto(o.source),
        origin: refDto(o.origin),
        relayChain: o.relayChain,
        altersOrigin: o.altersOrigin,
        ...(o.relayOf === undefined ? {} : { relayOf: o.relayOf }),
        ...(o.supersededBy === undefined ? {} : { supersededBy: o.supersededBy }),
        interest: o.interest,
        ...(o.contradictedBy === undefined ? {} : { contradictedBy: o.contradictedBy }),
        ...(o.setAsideByDefault === undefined ? {} : { setAsideByDefault: o.setAsideByDefault }),
        ...(o.corroborates === undefined ? {} : { corroborates: o.corroborates }),
        ...(o.componentOf === undefined ? {} : { componentOf: o.componentOf }),
        ...(o.relayDeclaredOnSource ? { relayDeclaredOnSource: true } : {}),
        scope: { ...claimScopeDto(r), population: o.scope.population },
        asOf: r.asOf,
        published: dualDate(r.publishedDate, r.publishedDate, 'day'),
        excerpt: r.excerpt,
        locator: r.locator,
        credibility: r.credibility,
        recordStatus: r.status,
      };
    });

    const bound = (b: Bound): BoundDto => ({
      value: b.value,
      setBy:
        b.setBy.kind === 'documented'
          ? { kind: 'documented', count: b.setBy.count }
          : {
              kind: 'claim',
              claimId: b.setBy.claimId,
              source: refDto(b.setBy.source),
              origin: refDto(b.setBy.origin),
              qualifier: b.setBy.qualifier,
              basis: b.setBy.basis,
              scopeRelation: b.setBy.scopeRelation,
            },
      ...(b.note === undefined ? {} : { note: b.note }),
    });

    const notes = [...result.notes];
    if (result.unconstrained.includes('time')) {
      notes.push(
        'No window was given: each figure counts for the period it states. Give from and to to compare figures in time.',
      );
    }
    if (scope.placeDefaulted && scope.place) {
      notes.push(
        `No location was given: the query covers the whole gazetteer, ${scope.place.nameEn}.`,
      );
    }
    if (unreadable.length) {
      notes.push(
        `${unreadable.length} stored claim(s) could not be read and were left out: see unreadable.`,
      );
    }
    const populationNote =
      population === 'all' || population === 'children' || population === 'women'
        ? undefined
        : `Victim records do not say who was a protester, a bystander or a member of the security forces, so no documented victim is counted for population ${population}: the minimum rests on the figures.`;
    const from = scope.axes.from;
    const to = scope.axes.to;

    return {
      query: {
        category,
        population,
        location: await this.queryLocation(m, scope),
        from: from ? dualDate(from, from, 'day') : null,
        to: to ? dualDate(to, to, 'day') : null,
        incident: scope.incident,
        perpetrator,
        minReliability,
        minCredibility,
        minConfidence,
        statuses: scope.filter.statuses,
        unconstrained: result.unconstrained,
      },
      documented: {
        total: documented.total,
        countedStatuses: counted,
        ...beside,
        ruleText: documentedRuleText(rule),
        byConfidence: confidenceCounts(documented.byConfidence),
        possible: documented.possible,
        // Each source is described once, in citations: a whole country's count rests on
        // 20,000 of them, and the answer would otherwise carry every one twice.
        sources: documented.sources.map((s) => ({ id: s.id, victims: s.victims })),
        sourceCount: documented.sourceCount,
        sourcesNext: nextSourcesLink(
          {
            category,
            location: q.location,
            from: q.from,
            to: q.to,
            calendar: q.calendar,
            // Counted: victims whose whole known date lies in the window.
            dateMatch: q.from !== undefined || q.to !== undefined ? 'certain' : undefined,
            incident: q.incident,
            perpetrator: q.perpetrator,
            minConfidence: q.minConfidence,
            status: q.status,
            documented: q.documented,
            population: population === 'all' ? undefined : population,
          },
          [],
          documented.sources,
          documented.sourceCount,
        ),
        ...(populationNote ? { note: populationNote } : {}),
      },
      claims,
      low: bound(result.low),
      high: result.high ? bound(result.high) : null,
      notes,
      statement: result.statement,
      citations: result.citations.map((c) => {
        const s = sources.get(c.sourceId);
        return {
          sourceId: c.sourceId,
          title: c.title,
          publisher: c.publisher,
          published: s
            ? dualDate(s.publishedFrom, s.publishedTo, s.publishedPrecision, s.publishedOriginal)
            : null,
          url: c.url,
          text: c.text,
          claimIds: c.claimIds,
          documentedVictims: c.documentedVictims,
        };
      }),
      rules: [...result.rules, ...QUERY_RULES, documentedRuleText(rule)],
      unreadable,
    };
  }
}
