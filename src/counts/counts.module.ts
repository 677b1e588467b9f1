import { Module } from '@nestjs/common';
import { ReconciliationModule } from '../reconciliation/reconciliation.module.js';
import { CountsController } from './counts.controller.js';
import { CountsRepository } from './counts.repository.js';
import { CountsService } from './counts.service.js';
import { CountSourcesService } from './count-sources.service.js';

@Module({
  imports: [ReconciliationModule],
  controllers: [CountsController],
  providers: [CountsService, CountSourcesService, CountsRepository],
})
export class CountsModule {}
