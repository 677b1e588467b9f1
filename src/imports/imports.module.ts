import { Module } from '@nestjs/common';
import { ImportsController } from './imports.controller.js';
import { ImportsService } from './imports.service.js';
import { PlacesReplaceController } from './places-replace.controller.js';

@Module({
  controllers: [ImportsController, PlacesReplaceController],
  providers: [ImportsService],
  exports: [ImportsService],
})
export class ImportsModule {}
