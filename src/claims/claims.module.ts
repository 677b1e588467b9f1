import { Module } from '@nestjs/common';
import { LocationsModule } from '../locations/locations.module.js';
import { SourcesModule } from '../sources/sources.module.js';
import { ClaimsController } from './claims.controller.js';
import { ClaimsRepository } from './claims.repository.js';
import { ClaimsService } from './claims.service.js';

@Module({
  imports: [SourcesModule, LocationsModule],
  controllers: [ClaimsController],
  providers: [ClaimsService, ClaimsRepository],
  exports: [ClaimsService],
})
export class ClaimsModule {}
