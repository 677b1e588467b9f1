import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../common/public.decorator.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/configuration.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness and database status' })
  @ApiOkResponse({
    schema: {
      example: {
        status: 'ok',
        database: { status: 'up', engine: 'embedded', serverVersion: '18.0', migrations: 3 },
      },
    },
  })
  async health(): Promise<object> {
    const started = Date.now();
    try {
      const [row] = await this.ds.query<{ version: string; migrations: number }[]>(
        `SELECT current_setting('server_version') AS version,
                (SELECT count(*)::int FROM migrations) AS migrations`,
      );
      return {
        status: 'ok',
        database: {
          status: 'up',
          engine: this.config.engine,
          serverVersion: row.version,
          migrations: row.migrations,
          latencyMs: Date.now() - started,
        },
      };
    } catch {
      return { status: 'degraded', database: { status: 'down' } };
    }
  }
}
