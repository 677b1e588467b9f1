import {
  ESTIMATE_TOLERANCE,
  RELIABILITY_LABEL,
  type Category,
  type Interval,
  type Qualifier,
} from './intervals.js';
import { compareClaimScopes, type ClaimScope, type Population, type ScopeAxes } from './scope.js';
import type { SourceInterest } from '../common/domain.js';
import { GREGORIAN_MONTHS as MONTHS } from '../core/dates/index.js';
import type {
  Bound,
  Citation,
  ClaimOutcome,
  DocumentedBeside,
  DocumentedInput,
  QueryScope,
  SourceRef,
} from './reconcile-types.js';

/** 0.1 → "10%". */
export function formatPercent(f: number): string {
  return `${Math.round(f * 100)}%`;
}

/** 1500 → "1,500", independent of the machine's locale. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "2020-05-21" → "21 May 2020"; "2020-05" → "May 2020"; "2020" → "2020". */
export function formatDate(d: string): string {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(d);
  if (m === null) return d;
  const [, y, mo, day] = m;
  if (mo === undefined) return y;
  const month = MONTHS[Number(mo) - 1] ?? mo;
  return day === undefined ? `${month} ${y}` : `${Number(day)} ${month} ${y}`;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function formatWindow(from: string | null, to: string | null): string {
  if (from === null && to === null) return '';
  if (to === null) return `since ${formatDate(from as string)}`;
  if (from === null) return `up to ${formatDate(to)}`;
  if (from === to) return DAY.test(from) ? `on ${formatDate(from)}` : `in ${formatDate(from)}`;
  const a = DAY.exec(from);
  const b = DAY.exec(to);
  if (a !== null && b !== null && a[1] === b[1]) {
    const end = formatDate(to);
    if (a[2] === b[2]) return `between ${Number(a[3])} and ${end}`;
    return `between ${Number(a[3])} ${MONTHS[Number(a[2]) - 1]} and ${end}`;
  }
  return `between ${formatDate(from)} and ${formatDate(to)}`;
}

export const POPULATION_LABEL: Record<Population, string> = {
  all: 'everyone, security forces included',
  non_security: 'people other than security forces',
  protesters: 'protesters',
  bystanders: 'bystanders',
  security_forces: 'members of the security forces',
  children: 'children',
  women: 'women',
};

const NOUN: Record<Population, [string, string]> = {
  all: ['person', 'people'],
  non_security: ['person other than security forces', 'people other than security forces'],
  protesters: ['protester', 'protesters'],
  bystanders: ['bystander', 'bystanders'],
  security_forces: ['member of the security forces', 'members of the security forces'],
  children: ['child', 'children'],
  women: ['woman', 'women'],
};

const PARTICIPLE: Record<Category, string> = {
  killed: 'killed',
  injured: 'injured',
  detained: 'detained',
  disappeared: 'forcibly disappeared',
  executed: 'executed',
};

function counted(n: number, pop: Population, cat: Category): string {
  const one = n === 1;
  return `${NOUN[pop][one ? 0 : 1]} ${one ? 'was' : 'were'} ${PARTICIPLE[cat]}`;
}

/** The figure as a source would say it: "at least 304", "estimates from 350 to 1,500". */
export function describeFigure(q: Qualifier, i: Interval): string {
  const f = (v: number | null) => formatCount(v ?? 0);
  switch (q) {
    case 'exact':
      return f(i.best);
    case 'at_least':
      return `at least ${f(i.low)}`;
    case 'more_than':
      return `more than ${f(i.low)}`;
    case 'about':
      return `about ${f(i.best)}`;
    case 'at_most':
      return `at most ${f(i.high)}`;
    case 'up_to':
      return `up to ${f(i.high)}`;
    case 'between':
      return `between ${f(i.low)} and ${f(i.high)}`;
    case 'between_or_more':
      return `between ${f(i.low)} and ${f(i.high)}, and possibly more`;
    case 'estimates_range':
      return `estimates from ${f(i.low)} to ${f(i.high)}`;
  }
}

const AXIS_WORDS: Record<
  'inside' | 'contains' | 'differs',
  Record<'place' | 'time' | 'incident' | 'perpetrator', string>
> = {
  inside: {
    place: 'a smaller area',
    time: 'a shorter period',
    incident: 'one incident',
    perpetrator: 'harm by one perpetrator only',
  },
  contains: {
    place: 'a wider area',
    time: 'a longer period',
    incident: 'not limited to this incident',
    perpetrator: 'harm by any perpetrator',
  },
  differs: {
    place: 'a place outside the queried area',
    time: 'dates that neither contain nor lie within the queried window',
    incident: 'a different incident',
    perpetrator: 'another perpetrator',
  },
};

function axisWords(
  axes: ScopeAxes,
  which: 'inside' | 'contains' | 'differs',
  scope: ClaimScope,
): string[] {
  const words: string[] = [];
  for (const axis of ['place', 'time', 'incident', 'perpetrator'] as const) {
    if (axes[axis] === which) words.push(AXIS_WORDS[which][axis]);
  }
  if (axes.population === which) {
    const label = POPULATION_LABEL[scope.population];
    words.push(
      which === 'inside'
        ? `${label} only`
        : which === 'contains'
          ? label
          : `a population (${label}) that neither contains nor lies within the queried one`,
    );
  }
  return words;
}

/** Plain words for how a claim's scope is narrower, wider, or different from the query's. */
export function scopeDifferences(
  axes: ScopeAxes,
  which: 'inside' | 'contains' | 'differs',
  scope: ClaimScope,
): string {
  const words = axisWords(axes, which, scope);
  if (which === 'differs' && words.length === 0) {
    return `it is narrower in some respects (${axisWords(axes, 'inside', scope).join(', ')}) but wider in others (${axisWords(axes, 'contains', scope).join(', ')}), so it is neither a part of the queried scope nor wider than it`;
  }
  return words.join(', ');
}

export function citeSource(
  s: Pick<SourceRef, 'title' | 'publisher'> & { publishedDate?: string | null },
): string {
  return [
    s.publisher,
    `“${s.title}”`,
    s.publishedDate === null || s.publishedDate === undefined ? null : formatDate(s.publishedDate),
  ]
    .filter((p): p is string => p !== null && p !== '')
    .join(', ');
}

export function citeClaim(source: SourceRef, origin: SourceRef): string {
  return origin.id === source.id
    ? citeSource(source)
    : `${citeSource(origin)}, as relayed by ${citeSource(source)}`;
}

class Citations {
  readonly list: Citation[] = [];
  /** The entries by source id: a whole country's documented count cites 20,000 sources. */
  private readonly bySource = new Map<string, Citation>();

  private entry(s: Pick<SourceRef, 'id' | 'title' | 'publisher'> & Partial<SourceRef>): Citation {
    let c = this.bySource.get(s.id);
    if (c === undefined) {
      c = {
        sourceId: s.id,
        title: s.title,
        publisher: s.publisher,
        publishedDate: s.publishedDate ?? null,
        url: s.url ?? null,
        text: citeSource(s),
        claimIds: [],
        documentedVictims: null,
      };
      this.list.push(c);
      this.bySource.set(s.id, c);
    }
    return c;
  }

  claim(o: ClaimOutcome): string {
    for (const s of [o.origin, o.source]) {
      const c = this.entry(s);
      if (!c.claimIds.includes(o.id)) c.claimIds.push(o.id);
    }
    return citeClaim(o.source, o.origin);
  }

  documented(s: DocumentedInput['sources'][number]): string {
    this.entry(s).documentedVictims = s.victims;
    return citeSource(s);
  }
}

const CONFIDENCE_ORDER = ['confirmed', 'probable', 'possible', 'unattested'];
const SHOWN_DOCUMENTED_SOURCES = 3;

function documentedDetail(d: DocumentedInput, cites: Citations): string {
  const levels = Object.keys(d.byConfidence).sort(
    (a, b) =>
      (CONFIDENCE_ORDER.indexOf(a) + 1 || 99) - (CONFIDENCE_ORDER.indexOf(b) + 1 || 99) ||
      a.localeCompare(b),
  );
  const split = levels
    .filter((l) => d.byConfidence[l] > 0)
    .map((l) => `${formatCount(d.byConfidence[l])} ${l}`);
  const sources = [...d.sources].sort(
    (a, b) => b.victims - a.victims || a.title.localeCompare(b.title),
  );
  // Every documented source listed is cited in `citations` (the top ones of a large count: the
  // rest are a paged link away); the sentence names the largest few and counts all of them.
  const named = sources.map(
    (s) => `${cites.documented(s)} (${formatCount(s.victims)} victim${s.victims === 1 ? '' : 's'})`,
  );
  const more = (d.sourceCount ?? named.length) - SHOWN_DOCUMENTED_SOURCES;
  const shown = named.slice(0, SHOWN_DOCUMENTED_SOURCES);
  if (more > 0) shown.push(`${more} more source${more === 1 ? '' : 's'}`);
  return (
    (split.length > 0 ? ` (${split.join(', ')})` : '') +
    (shown.length > 0 ? `, attested by ${shown.join('; ')}` : '')
  );
}

/**
 * What the documented count counted and what it left beside it: "323 documented (verified);
 * 1,312 more records await review, of which about 610 may be duplicates; 4 are disputed."
 */
export function documentedBesideSentence(total: number, b: DocumentedBeside): string {
  const what = b.rule === 'verified' ? 'verified records only' : 'records of every included status';
  const parts = [`${formatCount(total)} documented (${what}, each person once)`];
  if (b.foldedDuplicates > 0) {
    parts.push(
      `${formatCount(b.foldedDuplicates)} more ${b.foldedDuplicates === 1 ? 'record is a likely duplicate' : 'records are likely duplicates'} of these, not counted again`,
    );
  }
  if (b.awaitingReview > 0) {
    const dup =
      b.possibleDuplicates > 0
        ? `, of which about ${formatCount(b.possibleDuplicates)} may be duplicates`
        : '';
    parts.push(
      `${formatCount(b.awaitingReview)} more record${b.awaitingReview === 1 ? '' : 's'} await${b.awaitingReview === 1 ? 's' : ''} review${dup}`,
    );
  }
  if (b.disputed > 0)
    parts.push(`${formatCount(b.disputed)} ${b.disputed === 1 ? 'is' : 'are'} disputed`);
  return `${parts.join('; ')}.`;
}

const HIGH_OPENING: Record<Qualifier, string> = {
  exact: 'The highest figure given is',
  at_least: '',
  more_than: '',
  about: 'The highest estimate is about',
  at_most: 'The highest upper bound given is',
  up_to: 'The highest upper bound given is',
  between: 'The highest upper bound given is',
  between_or_more: 'The highest estimate given is',
  estimates_range: 'Estimates range up to',
};

const CONTRADICTED_NOUN: Record<Qualifier, string> = {
  exact: 'figure of',
  at_least: 'figure of',
  more_than: 'figure of',
  about: 'estimate of',
  at_most: 'upper bound of',
  up_to: 'upper bound of',
  between: 'range of',
  between_or_more: 'range of',
  estimates_range: 'estimates of',
};

function contradictedFigure(o: ClaimOutcome): string {
  const i = o.interval;
  switch (o.qualifier) {
    case 'between':
    case 'between_or_more':
    case 'estimates_range':
      return `${formatCount(i.low ?? 0)} to ${formatCount(i.high ?? 0)}`;
    case 'about':
      return `about ${formatCount(i.best ?? 0)}`;
    case 'at_most':
    case 'up_to':
      return formatCount(i.high ?? 0);
    default:
      return formatCount(i.best ?? i.low ?? 0);
  }
}

const BASIS_ADJECTIVE: Record<ClaimOutcome['basis'], string> = {
  named_list: '',
  verified_cases: '',
  credible_reports: '',
  own_network: '',
  estimate: '',
  official: 'official ',
  leak: 'leaked ',
  crowdsourced: 'crowdsourced ',
  unspecified: '',
};

/** Bases that count individually identified or verified people: a documented minimum. */
const DOCUMENTED_BASES: readonly ClaimOutcome['basis'][] = ['named_list', 'verified_cases'];

const INTEREST_POSSESSIVE: Record<SourceInterest, string> = {
  government: "the government's",
  security_forces: "the security forces'",
  armed_group: "an armed group's",
  opposition: "an opposition party's",
  victims_organisation: "a victims' organisation's",
  other: "an interested party's",
};

function capitalise(t: string): string {
  return t.charAt(0).toUpperCase() + t.slice(1);
}

/** "The government's official figure of", "The official figure of", "The estimate of". */
function figureNoun(c: ClaimOutcome): string {
  const owner = c.interest === null ? 'the' : INTEREST_POSSESSIVE[c.interest];
  return capitalise(`${owner} ${BASIS_ADJECTIVE[c.basis]}${CONTRADICTED_NOUN[c.qualifier]}`);
}

/** "; its source graded C (fairly reliable)" for a bound resting on a source below B. */
function gradeWords(c: ClaimOutcome): string {
  const r = c.source.reliability;
  return ['A', 'B'].includes(r)
    ? ''
    : `; carried by a source graded ${r} (${RELIABILITY_LABEL[r]})`;
}

const CREDIBILITY_WORDS: Record<number, string> = {
  4: 'doubtful',
  5: 'improbable',
  6: 'cannot be judged',
};

function plural(n: number, one: string, many: string): string {
  return `${n === 1 ? 'one' : formatCount(n)} ${n === 1 ? one : many}`;
}

/** One sentence on the figures the grade thresholds set aside, and how to include them. */
function setAsideSentence(query: QueryScope, claims: ClaimOutcome[]): string | null {
  const aside = claims.filter((c) => c.status === 'below_grade');
  if (aside.length === 0) return null;
  const rank = (r: string) => 'ABCDEF'.indexOf(r);
  const byReliability = new Map<string, number>();
  const byCredibility = new Map<number, number>();
  for (const c of aside) {
    if (rank(c.source.reliability) > rank(query.minReliability)) {
      byReliability.set(c.source.reliability, (byReliability.get(c.source.reliability) ?? 0) + 1);
    } else {
      byCredibility.set(c.credibility, (byCredibility.get(c.credibility) ?? 0) + 1);
    }
  }
  const parts = [
    ...[...byReliability.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([r, n]) => `${plural(n, 'figure', 'figures')} from sources graded ${r}`),
    ...[...byCredibility.entries()]
      .sort(([a], [b]) => a - b)
      .map(
        ([c, n]) =>
          `${plural(n, 'figure', 'figures')} graded ${c} (${CREDIBILITY_WORDS[c] ?? 'below the threshold'})`,
      ),
  ];
  const allDefault = aside.every((c) => c.setAsideByDefault === true);
  const thresholds = `source reliability ${query.minReliability} or better, credibility ${query.minCredibility} or better`;
  const add = [
    byReliability.size > 0 ? 'minReliability=F' : null,
    byCredibility.size > 0 ? 'minCredibility=6' : null,
  ].filter((x) => x !== null);
  const list =
    parts.length === 1
      ? parts[0]
      : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return allDefault
    ? `${capitalise(list)} ${aside.length === 1 ? 'was' : 'were'} set aside by the default thresholds (${thresholds}); add ${add.join(' and ')} to include ${aside.length === 1 ? 'it' : 'them'}.`
    : `${capitalise(list)} ${aside.length === 1 ? 'was' : 'were'} set aside as below the requested grade (${thresholds}).`;
}

export function buildStatement(input: {
  query: QueryScope;
  documented: DocumentedInput;
  low: Bound;
  high: Bound | null;
  claims: ClaimOutcome[];
}): { statement: string; citations: Citation[] } {
  const { query, documented, low, high, claims } = input;
  const cites = new Citations();
  const byId = new Map(claims.map((c) => [c.id, c]));
  const window = formatWindow(query.from, query.to);
  const when =
    query.label !== undefined && query.label !== null && query.label !== ''
      ? ` ${query.label}`
      : window === ''
        ? ''
        : ` ${window}`;
  const sentences: string[] = [];

  const lowClaim = low.setBy.kind === 'claim' ? byId.get(low.setBy.claimId) : undefined;
  const highClaim = high?.setBy.kind === 'claim' ? byId.get(high.setBy.claimId) : undefined;
  const oneClaim =
    lowClaim !== undefined &&
    lowClaim === highClaim &&
    (lowClaim.qualifier === 'exact' || lowClaim.qualifier === 'between');

  if (oneClaim) {
    const n = lowClaim.qualifier === 'exact' ? formatCount(low.value) : null;
    const figure = n ?? `Between ${formatCount(low.value)} and ${formatCount(high?.value ?? 0)}`;
    sentences.push(
      `${figure} ${counted(n === '1' ? 1 : 2, query.population, query.category)}${when} (${cites.claim(lowClaim)}${gradeWords(lowClaim)}).`,
    );
  } else if (lowClaim !== undefined) {
    const kind = DOCUMENTED_BASES.includes(lowClaim.basis) ? 'documented minimum' : 'minimum';
    const figure =
      lowClaim.qualifier === 'at_least'
        ? ''
        : `, from “${describeFigure(lowClaim.qualifier, lowClaim.interval)}”`;
    const part =
      lowClaim.scopeRelation === 'inside'
        ? `; a count for part of this scope: ${scopeDifferences(lowClaim.scopeAxes, 'inside', lowClaim.scope)}`
        : '';
    sentences.push(
      `At least ${formatCount(low.value)} ${counted(low.value, query.population, query.category)}${when} (${kind}${figure}: ${cites.claim(lowClaim)}${gradeWords(lowClaim)}${part}).`,
    );
  } else if (low.value > 0) {
    const all = low.value === 1 ? 'this one' : `all ${formatCount(low.value)}`;
    sentences.push(
      `At least ${formatCount(low.value)} ${counted(low.value, query.population, query.category)}${when}: this ledger documents ${all} individually${documentedDetail(documented, cites)}.`,
    );
    const ties = claims.filter((c) => c.status === 'included' && c.contributes.low === low.value);
    if (ties.length > 0) {
      sentences.push(`The same minimum is given by ${ties.map((c) => cites.claim(c)).join('; ')}.`);
    }
  } else {
    sentences.push(
      `This ledger documents no ${NOUN[query.population][1]} ${PARTICIPLE[query.category]}${when}, and no figure in scope sets a minimum.`,
    );
  }
  if (lowClaim !== undefined && documented.total > 0) {
    sentences.push(
      `This ledger documents ${formatCount(documented.total)} of them individually${documentedDetail(documented, cites)}.`,
    );
  }
  if (documented.beside)
    sentences.push(documentedBesideSentence(documented.total, documented.beside));

  if (oneClaim) {
    // The first sentence already gives both ends.
  } else if (highClaim !== undefined && high !== null) {
    const wider =
      highClaim.scopeRelation === 'contains'
        ? `; a figure for a wider scope: ${scopeDifferences(highClaim.scopeAxes, 'contains', highClaim.scope)}`
        : '';
    let sentence = `${HIGH_OPENING[highClaim.qualifier]} ${formatCount(high.value)} (${cites.claim(highClaim)}${gradeWords(highClaim)}${wider})`;
    if (highClaim.qualifier === 'estimates_range' && highClaim.interval.low !== null) {
      sentence += `; the lower estimate of ${formatCount(highClaim.interval.low)} is one of several estimates, not a floor`;
    }
    if (highClaim.qualifier === 'between_or_more') {
      sentence += '; the source says it is possibly more, so it is not a bound';
    }
    sentences.push(`${sentence}.`);
  } else {
    sentences.push(noTopSentence(claims, low, cites));
  }

  const minimum =
    low.setBy.kind === 'documented' ||
    (lowClaim !== undefined && DOCUMENTED_BASES.includes(lowClaim.basis))
      ? 'the documented minimum'
      : 'the minimum';
  const contradicted = new Set(claims.filter((x) => x.status === 'contradicted').map((x) => x.id));
  // A part of a contradicted total (the 224 of "230, of whom 6 security forces") goes with it.
  for (const c of claims.filter(
    (x) => x.status === 'contradicted' && !contradicted.has(x.componentOf ?? ''),
  )) {
    const verb = c.qualifier === 'estimates_range' ? 'are' : 'is';
    const by = c.contradictedBy === undefined ? undefined : byId.get(c.contradictedBy);
    const lowSetter = low.setBy.kind === 'claim' ? low.setBy.claimId : 'documented';
    if (c.contradictedBy === lowSetter || by === undefined) {
      sentences.push(
        `${figureNoun(c)} ${contradictedFigure(c)} (${cites.claim(c)}) ${verb} below ${minimum}.`,
      );
    } else {
      sentences.push(
        `${figureNoun(c)} ${contradictedFigure(c)} (${cites.claim(c)}) ${verb} contradicted by the minimum of ${formatCount(lowOf(by))} that ${cites.claim(by)} gives for ${compareClaimScopes(by.scope, c.scope) === 'equal' ? 'the same scope' : 'a part of its scope'}.`,
      );
    }
  }

  for (const c of claims.filter((x) => x.status === 'interested')) {
    const raises = c.contributes.low !== null && c.contributes.low > low.value;
    const tops =
      c.contributes.high !== null &&
      (high === null ? c.contributes.high > low.value : c.contributes.high > high.value);
    if (!raises && !tops) continue;
    sentences.push(
      `${capitalise(c.interest === null ? 'a' : INTEREST_POSSESSIVE[c.interest])} figure of ${describeFigure(c.qualifier, c.interval)} (${cites.claim(c)}) would ${raises ? 'raise the minimum' : 'raise the top of the range'}, but a figure from an interested party does not set a bound alone.`,
    );
  }

  const aside = setAsideSentence(query, claims);
  if (aside !== null) sentences.push(aside);
  const disputed = claims.filter((c) => c.status === 'disputed').length;
  if (disputed > 0) {
    sentences.push(
      `${capitalise(plural(disputed, 'figure', 'figures'))} that a reviewer marked disputed ${disputed === 1 ? 'was' : 'were'} set aside; ask for status disputed to include ${disputed === 1 ? 'it' : 'them'}.`,
    );
  }

  return { statement: sentences.join(' '), citations: cites.list };
}

/** The guaranteed minimum of a figure, read from its interval (exact, at least, between …). */
function lowOf(c: ClaimOutcome): number {
  const i = c.interval;
  if (i.low === null) return i.best ?? 0;
  return i.lowInclusive ? i.low : i.low + 1;
}

/** Why the range has no top, said only as the structured answer shows it. */
function noTopSentence(claims: ClaimOutcome[], low: Bound, cites: Citations): string {
  const tops = claims.filter(
    (c) =>
      c.contributes.high !== null && !['relay', 'superseded', 'scope_differs'].includes(c.status),
  );
  if (tops.length === 0) {
    return 'No figure in scope gives an estimate or an upper bound, so the range has no top.';
  }
  if (tops.every((c) => (c.contributes.high as number) < low.value)) {
    const agreeing = tops.filter((c) => c.status === 'included');
    if (agreeing.length === 0) {
      return 'Every estimate and upper bound in scope is below that minimum, so the range has no top.';
    }
    return `No estimate or upper bound in scope lies above that minimum, so the range has no top; ${agreeing
      .map((c) => `${describeFigure(c.qualifier, c.interval)} (${cites.claim(c)})`)
      .join(
        '; ',
      )} ${agreeing.length === 1 ? 'is an estimate that agrees' : 'are estimates that agree'} with it within the ${formatPercent(ESTIMATE_TOLERANCE)} tolerance for estimates.`;
  }
  const WHY: Partial<Record<ClaimOutcome['status'], string>> = {
    contradicted: 'contradicted by other figures',
    below_grade: 'below grade',
    disputed: 'disputed',
    interested: 'from an interested party',
  };
  const why = [
    ...new Set(
      tops
        .filter((c) => (c.contributes.high as number) >= low.value)
        .map((c) => WHY[c.status])
        .filter((w): w is string => w !== undefined),
    ),
  ];
  return `The figures in scope that lie above that minimum are set aside (${why.join(', ')}), so the range has no top.`;
}
