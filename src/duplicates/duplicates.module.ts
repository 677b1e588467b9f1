import { Module } from '@nestjs/common';
import { VictimsModule } from '../victims/victims.module.js';
import { DuplicatesController } from './duplicates.controller.js';
import { DuplicatesRepository } from './duplicates.repository.js';
import { DuplicatesService } from './duplicates.service.js';

@Module({
  imports: [VictimsModule],
  controllers: [DuplicatesController],
  providers: [DuplicatesService, DuplicatesRepository],
  exports: [DuplicatesService],
})
export class DuplicatesModule {}
