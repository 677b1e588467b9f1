import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { locationSeedId } from '../../seed/gazetteer.js';
import { SEED } from '../../seed/seed.js';
import { AttestationEntity } from '../../src/attestations/attestation.entity.js';
import { ClaimEntity } from '../../src/claims/claim.entity.js';
import { IncidentEntity } from '../../src/incidents/incident.entity.js';
import { locationNamesNorm } from '../../src/locations/location-names.js';
import { LocationEntity } from '../../src/locations/location.entity.js';

/** Seeded gazetteer places (seed/data/places-iran.csv) the tests name. */
export const PLACES = {
  iran: SEED.iran,
  khuzestan: locationSeedId('province', 'Khuzestan'),
  mahshahr: locationSeedId('city', 'Bandar-e Mahshahr'),
  ahvaz: locationSeedId('city', 'Ahvaz'),
  tehranProvince: locationSeedId('province', 'Tehran'),
  tehranCity: locationSeedId('city', 'Tehran'),
  golestanProvince: locationSeedId('province', 'Golestan'),
  baharestan: locationSeedId('city', 'Baharestan'),
  kermanshahProvince: locationSeedId('province', 'Kermanshah'),
  kermanshahCity: locationSeedId('city', 'Kermanshah'),
  eslamshahr: locationSeedId('city', 'Eslamshahr'),
  karaj: locationSeedId('city', 'Karaj'),
  shiraz: locationSeedId('city', 'Shiraz'),
  fars: locationSeedId('province', 'Fars'),
} as const;

const tag = (): string => randomUUID().slice(0, 8);

/** A valid POST /api/locations body (a city in Khuzestan); override what the test cares about. */
export function buildLocation(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { kind: 'city', parent: PLACES.khuzestan, nameEn: `Testabad ${tag()}`, ...overrides };
}

/** Inserts a place straight into the database under `parentId` (default Khuzestan). */
export async function createLocation(
  ds: DataSource,
  overrides: Partial<LocationEntity> & { parentId?: string | null } = {},
): Promise<LocationEntity> {
  const repo = ds.getRepository(LocationEntity);
  const parentId = overrides.parentId === undefined ? PLACES.khuzestan : overrides.parentId;
  const parent = parentId ? await repo.findOneByOrFail({ id: parentId }) : null;
  const id = overrides.id ?? randomUUID();
  const names = {
    nameEn: overrides.nameEn ?? `Testabad ${tag()}`,
    nameFa: overrides.nameFa ?? null,
    variantsEn: overrides.variantsEn ?? [],
    variantsFa: overrides.variantsFa ?? [],
  };
  await repo.insert({
    kind: 'city',
    ...overrides,
    ...names,
    id,
    parentId,
    namesNorm: locationNamesNorm(names),
    path: [...(parent?.path ?? []), id],
    depth: parent ? parent.depth + 1 : 0,
  });
  return repo.findOneByOrFail({ id });
}

/** A valid POST /api/incidents body, attested by Amnesty; override what the test cares about. */
export function buildIncident(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: `Test incident ${tag()}`,
    date: '2019-11-18',
    location: PLACES.mahshahr,
    category: 'shooting',
    perpetrators: ['irgc'],
    attestations: [{ sourceId: SEED.sources.amnesty, locator: 'p. 3', credibility: 2 }],
    ...overrides,
  };
}

/** Inserts an incident and one attestation (Amnesty) straight into the database. */
export async function createIncident(
  ds: DataSource,
  overrides: Partial<IncidentEntity> = {},
): Promise<IncidentEntity> {
  const id = overrides.id ?? randomUUID();
  await ds.getRepository(IncidentEntity).insert({
    title: `Test incident ${tag()}`,
    dateFrom: '2019-11-18',
    dateTo: '2019-11-18',
    datePrecision: 'day',
    locationId: PLACES.mahshahr,
    category: 'shooting',
    ...overrides,
    id,
  });
  await ds
    .getRepository(AttestationEntity)
    .insert({ sourceId: SEED.sources.amnesty, incidentId: id, credibility: 2 });
  return ds.getRepository(IncidentEntity).findOneByOrFail({ id });
}

/** A valid POST /api/claims body: "at least 10 killed in Mahshahr", carried by Amnesty. */
export function buildClaim(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sourceId: SEED.sources.amnesty,
    category: 'killed',
    qualifier: 'at_least',
    low: 10,
    location: PLACES.mahshahr,
    date: '2019-11-16/2019-11-19',
    basis: 'named_list',
    credibility: 2,
    ...overrides,
  };
}

/** Inserts a claim straight into the database. */
export async function createClaim(
  ds: DataSource,
  overrides: Partial<ClaimEntity> = {},
): Promise<ClaimEntity> {
  const id = overrides.id ?? randomUUID();
  await ds.getRepository(ClaimEntity).insert({
    sourceId: SEED.sources.amnesty,
    category: 'killed',
    qualifier: 'at_least',
    low: 10,
    locationId: PLACES.mahshahr,
    basis: 'named_list',
    credibility: 2,
    ...overrides,
    id,
  });
  return ds.getRepository(ClaimEntity).findOneByOrFail({ id });
}

/** Row count of a table, for "nothing was written" checks. */
export async function countRows(
  ds: DataSource,
  table: 'locations' | 'incidents' | 'attestations' | 'count_claims' | 'audit_log',
): Promise<number> {
  const [{ n }] = await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`);
  return n;
}
