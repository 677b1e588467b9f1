import { Module } from '@nestjs/common';
import { AttestationsController } from './attestations.controller.js';
import { AttestationsService } from './attestations.service.js';

@Module({
  controllers: [AttestationsController],
  providers: [AttestationsService],
  exports: [AttestationsService],
})
export class AttestationsModule {}
