import './ts-resolve';
import fs from 'node:fs';
import { TestEnvironment } from 'jest-environment-node';
import { Client } from 'pg';
import { startEmbedded, type EmbeddedDatabase } from '../../src/database/embedded.js';

let copies = 0;

/**
 * Each e2e file on its own copy of the migrated template (global-setup.ts), made before the
 * file's first hook and dropped after its last: on the server a database created from the
 * template, on the embedded engine an in-memory PGlite loaded from the template's snapshot,
 * served in this worker. The file reads the copy's URL from CL_TEST_DATABASE_URL.
 */
export default class E2eEnvironment extends TestEnvironment {
  private drop: (() => Promise<void>) | null = null;

  override async setup(): Promise<void> {
    await super.setup();
    const template = process.env.CL_TEST_TEMPLATE;
    if (!template) throw new Error('CL_TEST_TEMPLATE is not set: run the suite with npm test');
    const admin = process.env.TEST_DATABASE_URL;
    const url = admin ? await copyOnServer(admin, template) : await copyEmbedded(template);
    this.drop = url.drop;
    this.global.process.env.CL_TEST_DATABASE_URL = url.url;
  }

  override async teardown(): Promise<void> {
    try {
      await this.drop?.();
    } finally {
      await super.teardown();
    }
  }
}

interface Copy {
  url: string;
  drop: () => Promise<void>;
}

async function copyOnServer(admin: string, template: string): Promise<Copy> {
  const name = `${template}_${process.pid}_${++copies}`;
  const c = new Client({ connectionString: admin });
  await c.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (e) {
        // 55006: the template is still in use, by a connection of the global setup closing.
        if ((e as { code?: string }).code !== '55006' || attempt === 20) throw e;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    await c.end();
  }
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const d = new Client({ connectionString: admin });
      await d.connect();
      try {
        await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await d.end();
      }
    },
  };
}

async function copyEmbedded(snapshot: string): Promise<Copy> {
  const db: EmbeddedDatabase = await startEmbedded({
    dataDir: null,
    maxConnections: 40,
    loadDataDir: new Blob([fs.readFileSync(snapshot)]),
  });
  return { url: db.url, drop: () => db.stop() };
}
