import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SEED } from '../../seed/seed.js';
import { ClaimEntity } from '../../src/claims/claim.entity.js';
import { normalizeText } from '../../src/common/persian.js';
import { locationSeedId } from '../../seed/gazetteer.js';

/** Seeded gazetteer ids the counts and reconciliation tests use. */
export const PLACES = {
  iran: SEED.iran,
  khuzestan: locationSeedId('province', 'Khuzestan'),
  fars: locationSeedId('province', 'Fars'),
  tehranProvince: locationSeedId('province', 'Tehran'),
  mahshahr: locationSeedId('city', 'Bandar-e Mahshahr'),
  shiraz: locationSeedId('city', 'Shiraz'),
  ahvaz: locationSeedId('city', 'Ahvaz'),
  tehranCity: locationSeedId('city', 'Tehran'),
} as const;

/** Inserts a place under a parent (path, depth and normalised names as the gazetteer has them). */
export async function createPlace(
  ds: DataSource,
  p: { kind: string; parentId: string; nameEn: string; nameFa?: string },
): Promise<string> {
  const [parent] = await ds.query<{ path: string[]; depth: number }[]>(
    `SELECT path, depth FROM locations WHERE id = $1`,
    [p.parentId],
  );
  const id = randomUUID();
  const names = [
    ...new Set([p.nameEn, p.nameFa].filter((n): n is string => !!n).map(normalizeText)),
  ];
  await ds.query(
    `INSERT INTO locations (id, kind, parent_id, name_en, name_fa, names_norm, path, depth)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      id,
      p.kind,
      p.parentId,
      p.nameEn,
      p.nameFa ?? null,
      names,
      [...parent.path, id],
      parent.depth + 1,
    ],
  );
  return id;
}

export interface VictimSpec {
  harm?: string;
  /** [from, to] inclusive, or null for undated. Default 2019-11-16, to the day. */
  date?: [string, string] | null;
  precision?: string | null;
  locationId?: string | null;
  status?: string;
  confidence?: string;
  /** victims.public_confidence, stored as given (default: the same as `confidence`). */
  publicConfidence?: string;
  gender?: string | null;
  age?: number | null;
  ageBand?: string | null;
  perpetrator?: string | null;
  cause?: string | null;
  incidentId?: string | null;
  mergedInto?: string | null;
  /** Attestations: each victim is attested by every source listed. */
  sources?: string[];
}

/** Inserts `count` victims alike but for their names, with their attestations; returns ids. */
export async function createVictims(
  ds: DataSource,
  count: number,
  spec: VictimSpec = {},
): Promise<string[]> {
  const date = spec.date === undefined ? (['2019-11-16', '2019-11-16'] as const) : spec.date;
  const precision =
    spec.precision !== undefined
      ? spec.precision
      : date === null
        ? null
        : date[0] === date[1]
          ? 'day'
          : 'range';
  const rows = await ds.query<{ id: string }[]>(
    `INSERT INTO victims (name_en, harm, date_from, date_to, date_precision, location_id, status, confidence,
                          gender, age, age_band, perpetrator, cause, incident_id, merged_into, public_confidence)
     SELECT 'Test victim ' || g || ' ' || $15, $1, $2::date, $3::date, $4, $5::uuid, $6, $7, $8, $9::int, $10, $11, $12,
            $13::uuid, $14::uuid, $17
       FROM generate_series(1, $16::int) g
     RETURNING id`,
    [
      spec.harm ?? 'killed',
      date?.[0] ?? null,
      date?.[1] ?? null,
      precision,
      spec.locationId === undefined ? PLACES.mahshahr : spec.locationId,
      spec.status ?? 'submitted',
      spec.confidence ?? 'probable',
      spec.gender ?? null,
      spec.age ?? null,
      spec.ageBand ?? null,
      spec.perpetrator ?? null,
      spec.cause ?? null,
      spec.incidentId ?? null,
      spec.mergedInto ?? null,
      randomUUID().slice(0, 8),
      count,
      spec.publicConfidence ?? spec.confidence ?? 'probable',
    ],
  );
  const ids = rows.map((r) => r.id);
  for (const sourceId of spec.sources ?? []) {
    await ds.query(
      `INSERT INTO attestations (source_id, victim_id, credibility)
       SELECT $1::uuid, v, 2 FROM unnest($2::uuid[]) v`,
      [sourceId, ids],
    );
  }
  return ids;
}

export async function createVictim(ds: DataSource, spec: VictimSpec = {}): Promise<string> {
  const [id] = await createVictims(ds, 1, spec);
  return id;
}

/** Inserts a count claim; defaults: killed, at least 10, Iran, 16–19 November 2019, everyone. */
export async function createClaim(
  ds: DataSource,
  overrides: Partial<ClaimEntity>,
): Promise<ClaimEntity> {
  const repo = ds.getRepository(ClaimEntity);
  return repo.save(
    repo.create({
      sourceId: SEED.sources.amnesty,
      category: 'killed',
      qualifier: 'at_least',
      locationId: SEED.iran,
      dateFrom: '2019-11-16',
      dateTo: '2019-11-19',
      population: 'all',
      basis: 'estimate',
      credibility: 2,
      status: 'submitted',
      ...overrides,
    }),
  );
}
