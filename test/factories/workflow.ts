import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SEED } from '../../seed/seed.js';
import { AttestationEntity } from '../../src/attestations/attestation.entity.js';
import { ClaimEntity } from '../../src/claims/claim.entity.js';
import { IncidentEntity } from '../../src/incidents/incident.entity.js';
import { VictimEntity } from '../../src/victims/victim.entity.js';

/** Rows inserted straight into the database, for tests of workflow, audit and access rules. */
export async function insertVictim(
  ds: DataSource,
  overrides: Partial<VictimEntity> = {},
): Promise<VictimEntity> {
  const repo = ds.getRepository(VictimEntity);
  return repo.save(
    repo.create({
      nameEn: `Test victim ${randomUUID().slice(0, 8)}`,
      harm: 'killed',
      dateFrom: '2019-11-16',
      dateTo: '2019-11-16',
      datePrecision: 'day',
      locationId: SEED.iran,
      status: 'draft',
      ...overrides,
    }),
  );
}

export async function insertIncident(
  ds: DataSource,
  overrides: Partial<IncidentEntity> = {},
): Promise<IncidentEntity> {
  const repo = ds.getRepository(IncidentEntity);
  return repo.save(
    repo.create({
      title: `Test incident ${randomUUID().slice(0, 8)}`,
      category: 'protest',
      status: 'draft',
      ...overrides,
    }),
  );
}

export async function insertClaim(
  ds: DataSource,
  overrides: Partial<ClaimEntity> = {},
): Promise<ClaimEntity> {
  const repo = ds.getRepository(ClaimEntity);
  return repo.save(
    repo.create({
      sourceId: SEED.sources.amnesty,
      category: 'killed',
      qualifier: 'at_least',
      low: 10,
      basis: 'estimate',
      credibility: 3,
      status: 'draft',
      ...overrides,
    }),
  );
}

/** Ties a victim or an incident to a source. */
export async function insertAttestation(
  ds: DataSource,
  subject: { victimId: string } | { incidentId: string },
  overrides: Partial<AttestationEntity> = {},
): Promise<AttestationEntity> {
  const repo = ds.getRepository(AttestationEntity);
  return repo.save(
    repo.create({ sourceId: SEED.sources.amnesty, credibility: 2, ...subject, ...overrides }),
  );
}
