import { parseGroupBy } from '../../src/counts/dto/counts-query.dto.js';
import {
  ClaimShapeError,
  reconcile,
  scopeAxes,
  type ClaimInput,
  type ClaimScope,
  type QueryScope,
  type SourceRef,
} from '../../src/reconciliation/reconcile.js';

const IRAN = ['iran'];
const AI: SourceRef = {
  id: 'ai',
  title: 'Amnesty',
  publisher: 'Amnesty International',
  publishedDate: '2020-05-21',
  reliability: 'B',
};
const R: SourceRef = {
  id: 'r',
  title: 'Reuters',
  publisher: 'Reuters',
  publishedDate: '2019-12-23',
  reliability: 'B',
};
const J: SourceRef = {
  id: 'j',
  title: 'Joint statement',
  publisher: 'Four organisations',
  publishedDate: '2020-05-23',
  reliability: 'C',
};

const scope = (over: Partial<ClaimScope> = {}): ClaimScope => ({
  locationPath: IRAN,
  dateFrom: '2019-11-16',
  dateTo: '2019-11-19',
  incidentId: 'aban-1398',
  population: 'all',
  ...over,
});

const open: QueryScope = {
  locationPath: IRAN,
  from: null,
  to: null,
  incidentId: null,
  population: 'all',
  category: 'killed',
  minReliability: 'F',
  minCredibility: 6,
  unconstrained: ['time', 'incident'],
};

function claim(id: string, over: Partial<ClaimInput>): ClaimInput {
  return {
    id,
    category: 'killed',
    qualifier: 'at_least',
    low: null,
    best: null,
    high: null,
    scope: scope(),
    basis: 'estimate',
    credibility: 2,
    publishedDate: null,
    excerpt: null,
    source: J,
    relaysClaimId: null,
    attributedTo: null,
    ...over,
  };
}

describe('a query that leaves time and incident open', () => {
  it('takes every claim as equal on those axes, and compares place and population as before', () => {
    expect(scopeAxes(scope({ population: 'non_security' }), open)).toEqual({
      place: 'equal',
      time: 'equal',
      incident: 'equal',
      perpetrator: 'equal',
      population: 'inside',
    });
    expect(scopeAxes(scope({ locationPath: [...IRAN, 'khuzestan'] }), open).place).toBe('inside');
  });

  it('without the flag, an open window is all time and a dated claim lies inside it', () => {
    const { unconstrained: _, ...literal } = open;
    expect(scopeAxes(scope(), literal)).toMatchObject({ time: 'inside', incident: 'inside' });
  });

  it('still refuses a claim whose dates cannot be read', () => {
    expect(() => scopeAxes(scope({ dateFrom: '2019-13' }), open)).toThrow(ClaimShapeError);
  });

  it('gives the founding case as the seed holds it: at least 304, estimates up to 1,500', () => {
    const r = reconcile(open, { total: 0, byConfidence: {}, sources: [] }, [
      claim('ai-304', {
        low: 304,
        basis: 'named_list',
        attributedTo: AI,
        scope: scope({ population: 'non_security' }),
      }),
      claim('reuters-range', {
        qualifier: 'estimates_range',
        low: 350,
        high: 1500,
        attributedTo: R,
        credibility: 3,
      }),
    ]);
    expect([r.low.value, r.low.setBy.kind === 'claim' && r.low.setBy.claimId]).toEqual([
      304,
      'ai-304',
    ]);
    expect([r.high?.value, r.high?.setBy.kind === 'claim' && r.high.setBy.claimId]).toEqual([
      1500,
      'reuters-range',
    ]);
    expect(r.statement).toContain(
      'the lower estimate of 350 is one of several estimates, not a floor',
    );
  });

  it('does not let a publisher’s figure for one period supersede its figure for another', () => {
    const r = reconcile(open, { total: 0, byConfidence: {}, sources: [] }, [
      claim('aban', { low: 304, source: AI, publishedDate: '2020-05-21' }),
      claim('mahsa', {
        low: 551,
        source: { ...AI, id: 'ai-2023', publishedDate: '2023-04-04' },
        publishedDate: '2023-04-04',
        scope: scope({ dateFrom: '2022-09-16', dateTo: '2022-12-31', incidentId: 'mahsa' }),
      }),
    ]);
    expect(r.claims.map((c) => c.status)).toEqual(['included', 'included']);
  });
});

describe('parseGroupBy', () => {
  it.each([
    ['province', ['province']],
    ['province,month', ['province', 'month']],
    [' city , ageBand ', ['city', 'ageBand']],
  ])('reads "%s"', (raw, dims) => {
    expect(parseGroupBy(raw)).toEqual({ dims });
  });

  it.each([
    ['colour', /unknown grouping "colour": allowed are one or two of province, city/],
    ['province,city,day', /at most two groupings \(got 3\)/],
    ['day,day', /"day" is given twice/],
    ['', /unknown grouping ""/],
    ['Province', /unknown grouping "Province"/],
  ])('refuses "%s" saying what is allowed', (raw, problem) => {
    const r = parseGroupBy(raw);
    expect('problem' in r && r.problem).toMatch(problem);
  });
});
