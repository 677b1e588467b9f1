import { linkInMemory } from '../../src/duplicates/linkage.js';
import { fixtureRecord, fixtureRows, truePairs } from './linkage-fixture.js';

/**
 * Precision and recall of the record linkage on the labelled set (docs/duplicates.md reports
 * the figures): the shared victims list, holding a few people twice, and a second list derived
 * from it. The bounds are the figures measured, a little below: a change that loses recall or
 * precision fails here.
 */
describe('record linkage on the labelled set', () => {
  const rows = [...fixtureRows('a'), ...fixtureRows('b')];
  const records = rows.map(fixtureRecord);
  const truth = truePairs(rows);
  const found = linkInMemory(records);
  const predicted = new Set(found.map((p) => [p.a, p.b].sort().join(' ')));
  const tp = [...predicted].filter((p) => truth.has(p)).length;
  const precision = tp / Math.max(predicted.size, 1);
  const recall = tp / truth.size;

  it('reports its figures', () => {
    console.log(
      `labelled set: ${rows.length} records, ${truth.size} true pairs; found ${predicted.size}, ${tp} true: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`,
    );
    expect(truth.size).toBeGreaterThan(400);
  });

  it('finds most of the true pairs', () => {
    expect(recall).toBeGreaterThanOrEqual(0.92);
  });

  it('proposes few false pairs', () => {
    expect(precision).toBeGreaterThanOrEqual(0.94);
  });

  it('finds the records the shared list holds twice (its notes name them)', () => {
    const twice = rows
      .filter((r) => /^a\d+b$/.test(r.id))
      .map((r) => [r.id.slice(0, -1), r.id].sort().join(' '));
    expect(twice).toHaveLength(6);
    const missed = twice.filter((p) => !predicted.has(p));
    expect(missed).toEqual([]);
  });
});
