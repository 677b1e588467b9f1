import { parse } from 'csv-parse/sync';
import { generateDataset, scaleOf, type Dataset, type GenVictim } from '../../bench/generate.js';
import { importCsvText } from '../../bench/import-rows.js';
import { pgArray } from '../../bench/load.js';
import { percentile, summarize } from '../../bench/measure.js';
import { Rng, Weighted, zipf } from '../../bench/prng.js';
import { allWorkloads } from '../../bench/workloads.js';
import { parseDateInput } from '../../src/common/dates.js';
import { normalizeText } from '../../src/common/persian.js';
import { PlaceMatcher } from '../../src/imports/place-matcher.js';
import { readVictimRow } from '../../src/imports/victim-rows.js';

const SEED = 20191115;
const ZWNJ = '\u200c';

describe('Rng', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const draw = (seed: number): number[] => {
      const r = new Rng(seed);
      return Array.from({ length: 20 }, () => r.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(42).every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('derives independent streams by label', () => {
    expect(Rng.derive(1, 'victims').next()).toBe(Rng.derive(1, 'victims').next());
    expect(Rng.derive(1, 'victims').next()).not.toBe(Rng.derive(1, 'claims').next());
    expect(Rng.derive(1, 'victim:10').next()).not.toBe(Rng.derive(1, 'victim:11').next());
  });

  it('draws integers within both bounds, reaching each of them', () => {
    const r = new Rng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(r.int(3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('draws distinct values, and refuses to draw more than exist', () => {
    const r = new Rng(9);
    const d = r.distinct(5, 6, () => r.int(0, 5));
    expect(new Set(d).size).toBe(5);
    expect(() => r.distinct(7, 6, () => 0)).toThrow(RangeError);
  });

  it('Weighted follows its weights, and refuses bad ones', () => {
    const w = new Weighted(['a', 'b', 'c'], [1, 2, 7]);
    const r = new Rng(11);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 20_000; i++) counts[w.sample(r)]++;
    expect(counts.a / 20_000).toBeCloseTo(0.1, 1);
    expect(counts.c / 20_000).toBeCloseTo(0.7, 1);
    expect(w.share(1)).toBeCloseTo(0.2, 10);
    expect(() => new Weighted(['a'], [-1])).toThrow(RangeError);
    expect(() => new Weighted(['a', 'b'], [1])).toThrow(RangeError);
    expect(() => new Weighted([], [])).toThrow(RangeError);
  });

  it('zipf puts most of the mass on the first ranks', () => {
    const z = zipf(1000, 1);
    const total = z.reduce((a, b) => a + b, 0);
    expect(z.slice(0, 10).reduce((a, b) => a + b, 0) / total).toBeGreaterThan(0.35);
  });
});

describe('scaleOf', () => {
  it.each([
    ['smoke', 2_000],
    ['100k', 100_000],
    ['1m', 1_000_000],
    ['1M', 1_000_000],
    ['250000', 250_000],
    ['50_000', 50_000],
  ])('%s → %d victims', (arg, victims) => {
    expect(scaleOf(arg).victims).toBe(victims);
  });

  it('scales the other counts with the victims (1m: the issue’s figures)', () => {
    expect(scaleOf('1m')).toMatchObject({
      incidents: 100_000,
      sources: 20_000,
      attestations: 3_000_000,
      claims: 2_000,
      importRows: 100_000,
    });
    expect(scaleOf('100k')).toMatchObject({
      incidents: 10_000,
      sources: 2_000,
      claims: 200,
      importRows: 10_000,
    });
  });

  it.each(['', 'huge', '-5', '99', '1.5', '30000000'])('refuses %p', (arg) => {
    expect(() => scaleOf(arg)).toThrow(RangeError);
  });
});

describe('the generated dataset', () => {
  let a: Dataset;
  let b: Dataset;
  let victims: GenVictim[];
  beforeAll(() => {
    a = generateDataset(SEED, scaleOf('20000'));
    b = generateDataset(SEED, scaleOf('20000'));
    victims = Array.from({ length: 10_000 }, (_, i) => a.victims.at(i));
  });

  it('is the same for the same seed', () => {
    expect(b.sources).toEqual(a.sources);
    expect(b.incidents).toEqual(a.incidents);
    expect(b.claims).toEqual(a.claims);
    expect(b.places.districts).toEqual(a.places.districts);
    for (const i of [0, 1, 999, 5_000, 19_999, 25_000])
      expect(b.victims.at(i)).toEqual(a.victims.at(i));
  });

  it('gives victim i the same record whatever was drawn before', () => {
    const later = a.victims.at(12_345);
    for (let i = 0; i < 100; i++) a.victims.at(i);
    expect(a.victims.at(12_345)).toEqual(later);
  });

  it('differs for another seed', () => {
    const c = generateDataset(SEED + 1, scaleOf('smoke'));
    expect(c.sources.map((s) => s.reliability)).not.toEqual(
      a.sources.slice(0, c.sources.length).map((s) => s.reliability),
    );
    expect(c.victims.at(5)).not.toEqual(a.victims.at(5));
  });

  it('has the counts of its scale, with several hundred districts under the cities', () => {
    expect(a.sources).toHaveLength(400);
    expect(a.incidents).toHaveLength(2_000);
    expect(a.claims).toHaveLength(40);
    expect(a.places.districts.length).toBeGreaterThanOrEqual(300);
    expect(a.places.districts.length).toBeLessThanOrEqual(600);
    expect(
      a.places.districts.every((d) => a.places.byId.get(d.parentId ?? '')?.kind === 'city'),
    ).toBe(true);
    expect(new Set(a.places.all.map((p) => p.id)).size).toBe(a.places.all.length);
  });

  it('is skewed like the real data: a few provinces and days hold most cases', () => {
    const share = (pred: (v: GenVictim) => boolean): number =>
      victims.filter(pred).length / victims.length;
    const province = (name: string) => (v: GenVictim) =>
      a.places.byId.get(v.place.provinceId ?? '')?.nameEn === name;
    expect(share(province('Tehran'))).toBeGreaterThan(0.22);
    expect(share(province('Tehran'))).toBeLessThan(0.32);
    expect(share(province('Khuzestan'))).toBeGreaterThan(0.15);
    const big5 = ['Tehran', 'Khuzestan', 'Alborz', 'Kermanshah', 'Fars'];
    expect(share((v) => big5.some((p) => province(p)(v)))).toBeGreaterThan(0.6);
    const mahshahr = a.places.cities.find((c) => c.nameEn === 'Bandar-e Mahshahr')!;
    expect(share((v) => v.place.cityId === mahshahr.id)).toBeGreaterThan(0.05);
    // Dates: most within 15–19 November 2019, a tail over months, some imprecise ones.
    expect(
      share((v) => v.date !== null && v.date.from >= '2019-11-15' && v.date.to <= '2019-11-19'),
    ).toBeGreaterThan(0.6);
    expect(share((v) => v.date !== null && v.date.from > '2019-12-31')).toBeGreaterThan(0.02);
    expect(share((v) => v.date?.precision === 'month')).toBeGreaterThan(0.04);
    expect(share((v) => v.date?.precision === 'range')).toBeGreaterThan(0.04);
    expect(share((v) => v.date === null)).toBeGreaterThan(0.01);
    expect(share((v) => v.date?.calendar === 'jalali')).toBeGreaterThan(0.1);
  });

  it('attests each victim by one to six distinct sources, about three on average, a few sources attesting much', () => {
    const counts = victims.map((v) => v.attestations.length);
    expect(Math.min(...counts)).toBe(1);
    expect(Math.max(...counts)).toBe(6);
    const mean = counts.reduce((x, y) => x + y, 0) / counts.length;
    expect(mean).toBeGreaterThan(2.8);
    expect(mean).toBeLessThan(3.1);
    expect(
      victims.every(
        (v) => new Set(v.attestations.map((x) => x.source)).size === v.attestations.length,
      ),
    ).toBe(true);
    const bySource = new Map<number, number>();
    for (const v of victims)
      for (const x of v.attestations) bySource.set(x.source, (bySource.get(x.source) ?? 0) + 1);
    const top = [...bySource.values()].sort((x, y) => y - x);
    expect(top[0]).toBeGreaterThan(counts.length * 0.05);
  });

  it('writes names in Persian and Latin with the spelling variants lists really show', () => {
    const fa = victims.map((v) => v.nameFa ?? '');
    expect(fa.some((n) => /[يك]/.test(n))).toBe(true);
    expect(fa.some((n) => n.includes(ZWNJ))).toBe(true);
    expect(fa.some((n) => n.includes('اسمعیل') || n.includes('اسمعيل'))).toBe(true);
    expect(fa.some((n) => /(^| )تاک$/.test(n))).toBe(true);
    expect(fa.some((n) => /(^| )تک$/.test(n))).toBe(true);
    const en = new Set(
      victims
        .flatMap((v) => [v.nameEn, ...v.nameVariants])
        .filter((n): n is string => !!n)
        .map((n) => n.split(' ')[0]),
    );
    for (const spelling of ['Mohammad', 'Mohamad', 'Muhammad']) expect(en.has(spelling)).toBe(true);
    const surnames = new Set(
      victims
        .flatMap((v) => [v.nameEn, ...v.nameVariants])
        .filter((n): n is string => !!n)
        .map((n) => n.split(' ').at(-1)),
    );
    for (const spelling of ['Hosseini', 'Hoseyni']) expect(surnames.has(spelling)).toBe(true);
    // Duplicates (another list, another spelling) point at the first record of the person.
    const dups = victims.filter((v) => v.duplicateOf !== null);
    expect(dups.length).toBeGreaterThan(40);
    for (const d of dups.slice(0, 40)) {
      const target = a.victims.at(d.duplicateOf!);
      expect(target.duplicateOf).toBeNull();
      expect(target.person).toEqual(d.person);
      expect(target.place.id).toBe(d.place.id);
    }
  });

  it('writes every date as text that the project’s own parser reads back to the same window', () => {
    for (const v of victims.slice(0, 3_000)) {
      if (!v.date) continue;
      const p = parseDateInput(v.date.original);
      expect([p.from, p.to, p.precision]).toEqual([v.date.from, v.date.to, v.date.precision]);
      expect(v.date.from <= v.date.to).toBe(true);
    }
  });

  it('keeps every count claim within the database rules for its qualifier', () => {
    for (const c of a.claims) {
      const { low, best, high } = c;
      switch (c.qualifier) {
        case 'exact':
        case 'about':
          expect(best).not.toBeNull();
          break;
        case 'at_least':
        case 'more_than':
          expect(low).not.toBeNull();
          break;
        case 'at_most':
        case 'up_to':
          expect(high).not.toBeNull();
          break;
        default:
          expect(low).not.toBeNull();
          expect(high).not.toBeNull();
      }
      if (low !== null && high !== null) expect(low).toBeLessThanOrEqual(high);
      for (const x of [low, best, high]) if (x !== null) expect(x).toBeGreaterThanOrEqual(0);
      if (c.relaysClaim !== null) expect(c.relaysClaim).toBeLessThan(a.claims.indexOf(c));
    }
    // Revisions by one publisher and relays by others, as real reporting goes.
    expect(a.claims.some((c) => c.relaysClaim !== null)).toBe(true);
  });
});

describe('the import file the benchmark loads through', () => {
  const data = generateDataset(SEED, scaleOf('smoke'));
  const matcher = new PlaceMatcher(data.places.all);
  const opt = { harm: 'killed', status: 'draft', incidentId: null, credibility: 6 };
  const rows = (pinned: boolean): Record<string, string>[] =>
    parse(importCsvText(data, 0, 1_500, pinned), {
      columns: true,
      skip_empty_lines: true,
    }) as Record<string, string>[];

  it.each([true, false])(
    'is accepted row by row by the project’s importer (places pinned: %p)',
    (pinned) => {
      rows(pinned).forEach((values, i) => {
        const r = readVictimRow(values, matcher, opt);
        if (!r.ok) throw new Error(`row ${i}: ${JSON.stringify(r.issues)}`);
        const v = data.victims.at(i);
        expect(r.draft.importKey).toBe(v.importKey);
        expect(r.draft.attestations.map((x) => x.sourceId)).toEqual(
          v.attestations.map((x) => data.sources[x.source].id),
        );
        expect(r.draft.attestations.map((x) => x.credibility)).toEqual(
          v.attestations.map((x) => x.credibility),
        );
        expect(r.draft.date?.from ?? null).toBe(v.date?.from ?? null);
        expect(r.draft.harm).toBe(v.harm);
        if (pinned) expect(r.draft.locationId).toBe(v.place.id);
      });
    },
  );

  it('names places in free text that the gazetteer resolves to the generated place', () => {
    const free = rows(false);
    const placed = free.filter((values, i) => {
      const r = readVictimRow(values, matcher, opt);
      return r.ok && r.draft.locationId === data.victims.at(i).place.id;
    });
    expect(placed.length / free.length).toBeGreaterThan(0.97);
  });
});

describe('the workloads', () => {
  const data = generateDataset(SEED, scaleOf('smoke'));
  const workloads = allWorkloads(data, SEED);

  it('are W1–W4, each with different parameters on different requests and the same on a rerun', () => {
    expect(workloads.map((w) => w.id)).toEqual(['W1', 'W2', 'W3', 'W4']);
    for (const w of workloads) {
      const paths = Array.from({ length: 30 }, (_, i) => w.call(i).path);
      expect(new Set(paths).size).toBeGreaterThan(20);
      expect(
        allWorkloads(data, SEED)
          .find((x) => x.id === w.id)!
          .call(7),
      ).toEqual(w.call(7));
    }
  });

  it('bind every value of the floor’s SQL as a parameter', () => {
    for (const w of workloads) {
      for (let i = 0; i < 20; i++) {
        const c = w.call(i);
        const bound = c.values.length + (c.prelude ? 1 : 0);
        const used = new Set([...c.sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
        expect(used.size).toBe(bound);
        expect(Math.max(...used)).toBe(bound);
        if (c.prelude) {
          const pre = new Set([...c.prelude.sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
          expect(pre.size).toBe(c.prelude.values.length);
        }
      }
    }
  });

  it('W1 asks for a city by a name that names one place, or by id', () => {
    const w = workloads[0];
    for (let i = 0; i < 50; i++) {
      const c = w.call(i);
      const location = new URL(`http://x${c.path}`).searchParams.get('location')!;
      const hits = data.places.all.filter(
        (p) => p.id === location || p.namesNorm.includes(normalizeText(location)),
      );
      expect(hits).toHaveLength(1);
      expect(hits[0].kind).toBe('city');
    }
  });

  it('W4 searches for names that exist, spelt another way at times', () => {
    const w = workloads[3];
    const qs = Array.from({ length: 60 }, (_, i) =>
      new URL(`http://x${w.call(i).path}`).searchParams.get('q')!,
    );
    expect(qs.some((q) => /[a-z]/i.test(q))).toBe(true);
    expect(qs.some((q) => /[\u0600-\u06ff]/.test(q))).toBe(true);
  });
});

describe('measurement helpers', () => {
  it('percentile is nearest-rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarize reports throughput over wall time, not over summed latencies', () => {
    const s = summarize([10, 10, 10, 10], 20, 2, 1, 'boom');
    expect(s).toMatchObject({
      requests: 4,
      errors: 1,
      p50: 10,
      throughput: 200,
      firstError: 'boom',
    });
  });

  it('pgArray quotes and escapes every element', () => {
    expect(pgArray([])).toBe('{}');
    expect(pgArray(['a b', 'say "hi"', 'back\\slash', 'NULL', 'x,y'])).toBe(
      '{"a b","say \\"hi\\"","back\\\\slash","NULL","x,y"}',
    );
  });
});
