// Writes web/src/data/iran-outline.json: Iran's outline as GeoJSON, cut from world-atlas
// (ISC licence; the shapes are Natural Earth's 1:50m countries, in the public domain).
// Run again after upgrading world-atlas: node web/scripts/extract-iran.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';

const require = createRequire(import.meta.url);
const topo = JSON.parse(readFileSync(require.resolve('world-atlas/countries-50m.json'), 'utf8'));
const all = feature(topo, topo.objects.countries);
const iran = all.features.find((f) => f.id === '364');
if (!iran) throw new Error('Iran (ISO 3166 numeric 364) not found in world-atlas');
const round = (c) => (typeof c[0] === 'number' ? [+c[0].toFixed(3), +c[1].toFixed(3)] : c.map(round));
const out = {
  type: 'FeatureCollection',
  attribution: 'Natural Earth 1:50m (public domain), via world-atlas 2.0.2 (ISC)',
  features: [{ type: 'Feature', id: '364', properties: { name: 'Iran' }, geometry: { ...iran.geometry, coordinates: round(iran.geometry.coordinates) } }],
};
const target = new URL('../src/data/iran-outline.json', import.meta.url);
writeFileSync(target, JSON.stringify(out));
console.log(`wrote ${target.pathname}: ${iran.geometry.type}`);
