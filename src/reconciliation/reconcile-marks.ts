import {
  ESTIMATE_TOLERANCE,
  hardFloor,
  isEstimate,
  sameInterval,
  upperEnd,
  type Interval,
} from './intervals.js';
import type { ClaimInput } from './reconcile-types.js';
import {
  byContent,
  byDate,
  claimDate,
  counterpart,
  gradeOrder,
  isOwnFigure,
  publisherKey,
  type Work,
} from './reconcile-work.js';
import { inSameSeries, liesWithin } from './scope-facts.js';
import { dateSpan, scopesOverlap } from './scope.js';

// The phases that mark claims against each other: relays, running counts, contradictions.

/**
 * Relays declared on a source ("this outlet relays that agency"): a claim the outlet carries as
 * its own that repeats, figure for figure, a claim of a source it relays (directly or through
 * others) is read as a relay of that claim, exactly as if the claim said so.
 */
export function sourceRelays(
  claims: ClaimInput[],
  intervals: Map<string, Interval>,
): Map<string, string> {
  const out = new Map<string, string>();
  const relaysOf = new Map<string, readonly string[]>();
  for (const c of claims) {
    for (const s of [c.source, c.attributedTo]) {
      if (s !== null && s.relays !== undefined && s.relays.length > 0) relaysOf.set(s.id, s.relays);
    }
  }
  if (relaysOf.size === 0) return out;
  const reach = (from: string): Set<string> => {
    const seen = new Set<string>();
    const todo = [...(relaysOf.get(from) ?? [])];
    while (todo.length > 0) {
      const id = todo.pop() as string;
      if (seen.has(id) || id === from) continue;
      seen.add(id);
      todo.push(...(relaysOf.get(id) ?? []));
    }
    return seen;
  };
  const bySource = new Map<string, ClaimInput[]>();
  for (const c of claims) {
    const owner = (c.attributedTo ?? c.source).id;
    const list = bySource.get(owner);
    if (list === undefined) bySource.set(owner, [c]);
    else list.push(c);
  }
  for (const c of claims) {
    if (c.relaysClaimId !== null || !isOwnFigure(c) || !relaysOf.has(c.source.id)) continue;
    const mine = intervals.get(c.id) as Interval;
    const candidates = [...reach(c.source.id)]
      .flatMap((s) => bySource.get(s) ?? [])
      .filter(
        (d) =>
          d.id !== c.id &&
          d.category === c.category &&
          d.scope.population === c.scope.population &&
          scopesOverlap(d.scope, c.scope) &&
          sameInterval(intervals.get(d.id) as Interval, mine),
      )
      .sort((a, b) => byDate(claimDate(a), claimDate(b)) || byContent(a, b));
    if (candidates.length > 0) out.set(c.id, candidates[0].id);
  }
  return out;
}

/**
 * Relays count once. Claims are grouped by origin: the origin document and its scope; a relay
 * also joins the group of a figure the origin published itself for an overlapping scope
 * ("several sources, according to Reuters, put it between 350 and 1,500" with Reuters' own
 * "about 1,500"), and is flagged when its figure differs.
 */
export function markRelays(work: Work[]): void {
  const originalsByDoc = new Map<string, Work[]>();
  for (const w of work) {
    if (!w.original) continue;
    const k = `${w.claim.category}|${w.origin.source.id}`;
    const list = originalsByDoc.get(k);
    if (list === undefined) originalsByDoc.set(k, [w]);
    else list.push(w);
  }
  const groups = new Map<string, Work[]>();
  for (const w of work) {
    let key = w.origin.key;
    if (!w.original) {
      const own = (originalsByDoc.get(`${w.claim.category}|${w.origin.source.id}`) ?? []).filter(
        (o) => o.origin.key === key || scopesOverlap(o.claim.scope, w.claim.scope),
      );
      if (own.length > 0) key = counterpart(w, own).origin.key;
    }
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [w]);
    else g.push(w);
  }
  for (const members of groups.values()) {
    const originals = members.filter((m) => m.original);
    const live = members.filter((m) => m.status === undefined && m.setAside === undefined);
    const liveOriginals = live.filter((m) => m.original);
    const counted =
      liveOriginals.length > 0
        ? liveOriginals
        : live.length > 0
          ? [[...live].sort(gradeOrder)[0]]
          : [];
    for (const m of live) {
      if (counted.includes(m)) continue;
      m.status = 'relay';
      m.relayOf = counterpart(m, counted);
    }
    for (const m of members) {
      if (m.original) continue;
      const target =
        originals.length > 0 ? counterpart(m, originals) : (m.relayOf ?? counted[0] ?? null);
      if (target !== null && target !== m && !sameInterval(target.interval, m.interval)) {
        m.altersOrigin = true;
        m.comparedWith = target;
      }
    }
  }
}

/** When a figure stands: the date it is "as of", else its origin's publication date. */
export function seriesDate(w: Work): string | null {
  return w.claim.asOf ?? w.origin.date;
}

/**
 * A publisher's running count is one series: its latest release supersedes every earlier one
 * of the same category, place, incident, population and perpetrator over an overlapping window,
 * even where the windows' ends differ.
 */
export function markSuperseded(work: Work[]): void {
  // Compare within each publisher, each figure's date span worked out once.
  const byPublisher = new Map<string, { w: Work; start: string; end: string }[]>();
  for (const w of work) {
    if (w.status !== undefined || w.setAside !== undefined) continue;
    const date = seriesDate(w);
    if (date === null) continue;
    const pub = publisherKey(w.origin.source);
    if (pub === null) continue;
    const span = dateSpan(date);
    const group = byPublisher.get(`${w.claim.category}|${pub}`) ?? [];
    group.push({ w, start: span.start, end: span.end });
    byPublisher.set(`${w.claim.category}|${pub}`, group);
  }
  for (const group of byPublisher.values()) {
    for (const self of group) {
      const newer = group.filter(
        (o) => o !== self && o.start > self.end && inSameSeries(o.w.facts, self.w.facts),
      );
      if (newer.length === 0) continue;
      newer.sort((a, b) => -byDate(a.start, b.start) || byContent(a.w.claim, b.w.claim));
      self.w.status = 'superseded';
      self.w.supersededBy = newer[0].w;
    }
  }
}

/** Whether a floor of `floor` contradicts a top of `top` (an estimate keeps a tolerance). */
export function exceeds(floor: number, top: number, topIsEstimate: boolean): boolean {
  return topIsEstimate ? floor > top * (1 + ESTIMATE_TOLERANCE) : floor > top;
}

/**
 * Contradictions between claims, whatever the query: a standing figure for a part of a claim's
 * scope whose minimum exceeds the claim's top contradicts it (the official "230, all deaths,
 * 15–19 November" against "at least 323, non-security, 15–19 November"), in every query.
 */
export function markContradictedByClaims(work: Work[]): void {
  const floors = work
    .filter(
      (b) =>
        b.status === undefined &&
        b.setAside === undefined &&
        b.interest === null &&
        hardFloor(b.claim.qualifier, b.interval) !== null,
    )
    .map((b) => ({
      b,
      floor: hardFloor(b.claim.qualifier, b.interval) as number,
      whole: b.claim.id.split('#')[0],
    }))
    .sort((x, y) => y.floor - x.floor || gradeOrder(x.b, y.b));
  if (floors.length === 0) return;
  for (const a of work) {
    if (a.status !== undefined) continue;
    const top = upperEnd(a.claim.qualifier, a.interval);
    if (top === null) continue;
    const estimate = isEstimate(a.claim.qualifier);
    const whole = a.claim.id.split('#')[0];
    // Floors come largest first: once one no longer exceeds the top, none after it does.
    let by: (typeof floors)[number] | undefined;
    for (const f of floors) {
      if (!exceeds(f.floor, top, estimate)) break;
      if (
        f.b !== a &&
        f.b.claim.category === a.claim.category &&
        f.whole !== whole &&
        liesWithin(f.b.facts, a.facts)
      ) {
        by = f;
        break;
      }
    }
    if (by !== undefined) {
      a.status = 'contradicted';
      a.contradictedBy = by.b;
    }
  }
}
