import type { Category, Interval, Qualifier } from './intervals.js';
import type { ClaimScope, Population, ScopeAxes } from './scope.js';
import type {
  Bound,
  Citation,
  ClaimOutcome,
  DocumentedBeside,
  DocumentedInput,
  QueryScope,
  SourceRef,
} from './reconcile.js';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

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
    case 'estimates_range':
      return `estimates from ${f(i.low)} to ${f(i.high)}`;
  }
}

const AXIS_WORDS: Record<
  'inside' | 'contains' | 'differs',
  Record<'place' | 'time' | 'incident', string>
> = {
  inside: { place: 'a smaller area', time: 'a shorter period', incident: 'one incident' },
  contains: {
    place: 'a wider area',
    time: 'a longer period',
    incident: 'not limited to this incident',
  },
  differs: {
    place: 'a place outside the queried area',
    time: 'dates that neither contain nor lie within the queried window',
    incident: 'a different incident',
  },
};

function axisWords(
  axes: ScopeAxes,
  which: 'inside' | 'contains' | 'differs',
  scope: ClaimScope,
): string[] {
  const words: string[] = [];
  for (const axis of ['place', 'time', 'incident'] as const) {
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
  // Every documented source is cited in `citations`; the sentence names the largest few.
  const named = sources.map(
    (s) => `${cites.documented(s)} (${formatCount(s.victims)} victim${s.victims === 1 ? '' : 's'})`,
  );
  const more = named.length - SHOWN_DOCUMENTED_SOURCES;
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
  estimates_range: 'estimates of',
};

function contradictedFigure(o: ClaimOutcome): string {
  const i = o.interval;
  switch (o.qualifier) {
    case 'between':
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
  estimate: '',
  official: 'official ',
  leak: 'leaked ',
  crowdsourced: 'crowdsourced ',
};

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
      `${figure} ${counted(n === '1' ? 1 : 2, query.population, query.category)}${when} (${cites.claim(lowClaim)}).`,
    );
  } else if (lowClaim !== undefined) {
    const kind = lowClaim.basis === 'named_list' ? 'documented minimum' : 'minimum';
    const figure =
      lowClaim.qualifier === 'at_least'
        ? ''
        : `, from “${describeFigure(lowClaim.qualifier, lowClaim.interval)}”`;
    const part =
      lowClaim.scopeRelation === 'inside'
        ? `; a count for part of this scope: ${scopeDifferences(lowClaim.scopeAxes, 'inside', lowClaim.scope)}`
        : '';
    sentences.push(
      `At least ${formatCount(low.value)} ${counted(low.value, query.population, query.category)}${when} (${kind}${figure}: ${cites.claim(lowClaim)}${part}).`,
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
    let sentence = `${HIGH_OPENING[highClaim.qualifier]} ${formatCount(high.value)} (${cites.claim(highClaim)}${wider})`;
    if (highClaim.qualifier === 'estimates_range' && highClaim.interval.low !== null) {
      sentence += `; the lower estimate of ${formatCount(highClaim.interval.low)} is one of several estimates, not a floor`;
    }
    sentences.push(`${sentence}.`);
  } else if (claims.some((c) => c.status === 'contradicted')) {
    sentences.push(
      'Every estimate and upper bound in scope is below that minimum, so the range has no top.',
    );
  } else {
    sentences.push(
      'No figure in scope gives an estimate or an upper bound, so the range has no top.',
    );
  }

  const minimum =
    low.setBy.kind === 'documented' || lowClaim?.basis === 'named_list'
      ? 'the documented minimum'
      : 'the minimum';
  for (const c of claims.filter((x) => x.status === 'contradicted')) {
    sentences.push(
      `The ${BASIS_ADJECTIVE[c.basis]}${CONTRADICTED_NOUN[c.qualifier]} ${contradictedFigure(c)} (${cites.claim(c)}) ${c.qualifier === 'estimates_range' ? 'are' : 'is'} below ${minimum}.`,
    );
  }

  return { statement: sentences.join(' '), citations: cites.list };
}
