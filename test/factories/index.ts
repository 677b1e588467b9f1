import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SourceEntity } from '../../src/sources/source.entity.js';

/** A valid POST /api/sources body; override what the test cares about. */
export function buildSource(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'report',
    title: `Test report ${randomUUID().slice(0, 8)}`,
    publisher: 'Test Publisher',
    published: '2020-05-21',
    language: 'en',
    reliability: 'B',
    ...overrides,
  };
}

/** Inserts a source straight into the database. */
export async function createSource(
  ds: DataSource,
  overrides: Partial<SourceEntity> = {},
): Promise<SourceEntity> {
  return ds.getRepository(SourceEntity).save(
    ds.getRepository(SourceEntity).create({
      kind: 'report',
      title: `Test report ${randomUUID().slice(0, 8)}`,
      publisher: 'Test Publisher',
      publishedFrom: '2020-05-21',
      publishedTo: '2020-05-21',
      publishedPrecision: 'day',
      reliability: 'B',
      ...overrides,
    }),
  );
}
