import { Module } from '@nestjs/common';
import { AttestationsModule } from '../attestations/attestations.module.js';
import { VictimsController } from './victims.controller.js';
import { VictimsRepository } from './victims.repository.js';
import { VictimsService } from './victims.service.js';

@Module({
  imports: [AttestationsModule],
  controllers: [VictimsController],
  providers: [VictimsService, VictimsRepository],
  exports: [VictimsService],
})
export class VictimsModule {}
