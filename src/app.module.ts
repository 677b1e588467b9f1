import {
  Inject,
  Module,
  type DynamicModule,
  type OnModuleDestroy,
  type Type,
} from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditModule } from './audit/audit.module.js';
import { AllErrorsFilter } from './common/filters.js';
import { InputGuardPipe } from './common/id-params.js';
import { createValidationPipe } from './common/validation.js';
import { APP_CONFIG, AppConfigModule } from './config/config.module.js';
import type { RuntimeConfig } from './config/configuration.js';
import { dataSourceOptions } from './database/data-source.js';
import { ChangeFeed, setChangeFeed } from './common/change-feed.js';
import { usePreparedStatements } from './common/prepared.js';
import { markServerEngine } from './common/engine-memory.js';
import { HealthController } from './health/health.controller.js';
import { FEATURE_MODULES } from './features.js';

@Module({})
export class AppModule implements OnModuleDestroy {
  private readonly feed: ChangeFeed | null = null;

  constructor(@InjectDataSource() ds: DataSource, @Inject(APP_CONFIG) config: RuntimeConfig) {
    // The per-request lookups, on the server: named statements, and the token and place caches
    // kept by change notifications (src/common/prepared.ts, src/common/change-feed.ts).
    if (config.engine === 'postgresql') {
      markServerEngine(ds);
      usePreparedStatements(ds);
      this.feed = new ChangeFeed(config.databaseUrl);
      setChangeFeed(ds, this.feed);
      void this.feed.start();
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.feed?.stop();
  }

  /** `config.databaseUrl` is resolved by then: the external server, or the embedded one. */
  static forRoot(config: RuntimeConfig, extra: Type[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        TypeOrmModule.forRoot({
          ...dataSourceOptions({
            url: config.databaseUrl,
            poolSize: config.poolSize,
            queryTimeoutMs: config.statementTimeoutMs,
          }),
          autoLoadEntities: false,
        }),
        AuditModule,
        ...FEATURE_MODULES,
        ...extra,
      ],
      controllers: [HealthController],
      providers: [
        // In this order: NUL and reserved keys are refused before validation reads anything.
        { provide: APP_PIPE, useClass: InputGuardPipe },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: AllErrorsFilter },
      ],
    };
  }
}
