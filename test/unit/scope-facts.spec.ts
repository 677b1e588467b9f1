import {
  compareClaimScopes,
  sameSeries,
  type ClaimScope,
  type Population,
} from '../../src/reconciliation/scope';
import { inSameSeries, liesWithin, scopeFacts } from '../../src/reconciliation/scope-facts';

// Every combination of a few values per axis, chosen to hit each branch of scope.ts: paths that
// are prefixes of each other or not, partial and open dates, incidents, populations and
// perpetrators that contain one another or not.
const PATHS = [[], ['ir'], ['ir', 'teh'], ['ir', 'teh', 'city'], ['ir', 'fars']];
const WINDOWS: [string | null, string | null][] = [
  [null, null],
  ['2019-11-15', '2019-11-19'],
  ['2019-11', null],
  [null, '2019-11-30'],
  ['2019-11-16', '2019-11-16'],
  ['2019', '2019'],
  ['2019-11-20', '2019-12'],
];
const INCIDENTS = [null, 'i1', 'i2'];
const POPULATIONS: Population[] = ['all', 'non_security', 'protesters', 'security_forces'];
const PERPETRATORS = [undefined, null, 'security_forces', 'police', 'nopo', 'basij'];

function scopes(): ClaimScope[] {
  const out: ClaimScope[] = [];
  let k = 0;
  for (const locationPath of PATHS)
    for (const [dateFrom, dateTo] of WINDOWS)
      for (const incidentId of INCIDENTS)
        for (const population of POPULATIONS) {
          // One perpetrator per scope, in turn, keeps the pairs to a few million.
          const perpetrator = PERPETRATORS[k++ % PERPETRATORS.length];
          out.push({ locationPath, dateFrom, dateTo, incidentId, population, perpetrator });
        }
  return out;
}

describe('scope facts agree with scope.ts', () => {
  const all = scopes();
  const facts = all.map(scopeFacts);

  it('liesWithin(a, b) is compareClaimScopes(a, b) in (equal, inside), for every pair', () => {
    let within = 0;
    for (let i = 0; i < all.length; i++)
      for (let j = 0; j < all.length; j++) {
        const expected = ['equal', 'inside'].includes(compareClaimScopes(all[i], all[j]));
        if (liesWithin(facts[i], facts[j]) !== expected) {
          throw new Error(
            `${JSON.stringify(all[i])} within ${JSON.stringify(all[j])}: ${!expected}`,
          );
        }
        if (expected) within++;
      }
    // Both answers occur often enough for the comparison to mean something.
    expect(within).toBeGreaterThan(1000);
    expect(within).toBeLessThan(all.length * all.length - 1000);
  });

  it('inSameSeries(a, b) is sameSeries(a, b), for every pair', () => {
    let same = 0;
    for (let i = 0; i < all.length; i++)
      for (let j = 0; j < all.length; j++) {
        const expected = sameSeries(all[i], all[j]);
        if (inSameSeries(facts[i], facts[j]) !== expected) {
          throw new Error(
            `${JSON.stringify(all[i])} series ${JSON.stringify(all[j])}: ${!expected}`,
          );
        }
        if (expected) same++;
      }
    expect(same).toBeGreaterThan(100);
  });
});
