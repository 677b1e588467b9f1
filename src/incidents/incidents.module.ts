import { Module } from '@nestjs/common';
import { LocationsModule } from '../locations/locations.module.js';
import { SourcesModule } from '../sources/sources.module.js';
import { IncidentsController } from './incidents.controller.js';
import { IncidentsRepository } from './incidents.repository.js';
import { IncidentsService } from './incidents.service.js';

@Module({
  imports: [SourcesModule, LocationsModule],
  controllers: [IncidentsController],
  providers: [IncidentsService, IncidentsRepository],
  exports: [IncidentsService],
})
export class IncidentsModule {}
