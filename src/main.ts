import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { seedFoundingCase } from '../seed/seed.js';
import { createApp } from './app.factory.js';
import { ConfigError, loadConfig } from './config/configuration.js';
import { auditWarning, prepareDatabase } from './database/bootstrap.js';
import { DataDirLockedError } from './database/embedded.js';
import { onFirstStart } from './users/first-start.js';

async function main(): Promise<void> {
  const logger = new Logger('casualty-ledger');
  const config = loadConfig();
  const {
    config: runtime,
    embedded,
    serviceRole,
  } = await prepareDatabase(config, (m) => logger.log(m));
  logger.log(
    runtime.engine === 'embedded'
      ? `embedded PostgreSQL (PGlite) with data in ${runtime.dataDir}, served on a private unix socket`
      : `PostgreSQL server from DATABASE_URL${config.databaseOwnerUrl ? ', migrated as the owner of DATABASE_OWNER_URL' : ''}`,
  );
  const warning = auditWarning(serviceRole);
  if (warning) logger.warn(warning);
  else
    logger.log(
      `the service runs as database role ${serviceRole.role}: the audit trail is append-only to it`,
    );
  const app = await createApp(runtime);
  const ds = app.get(DataSource);
  if (runtime.seedOnStart) {
    const r = await seedFoundingCase(ds);
    logger.log(
      `seed: ${r.created} records created, ${r.present} already present, ${r.updated ?? 0} places completed, ${r.moved ?? 0} moved into their county`,
    );
  }
  // The one-time admin token goes to the console whatever LOG_LEVEL says.
  await onFirstStart(app, runtime, (text) => console.log(text));
  if (embedded) {
    const stopEmbedded = async (): Promise<void> => embedded.stop();
    process.once('beforeExit', () => void stopEmbedded());
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      process.once(sig, () => {
        void app
          .close()
          .then(stopEmbedded)
          .finally(() => process.exit(0));
      });
    }
  }
  await app.listen(runtime.port, runtime.host);
  logger.log(`listening on http://${runtime.host}:${runtime.port} — API docs at /api/docs`);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
