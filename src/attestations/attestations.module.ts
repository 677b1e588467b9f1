import { Module } from '@nestjs/common';
import { AttestationsController } from './attestations.controller.js';
import { AttestationsRepository } from './attestations.repository.js';
import { AttestationsService } from './attestations.service.js';

@Module({
  controllers: [AttestationsController],
  providers: [AttestationsService, AttestationsRepository],
  exports: [AttestationsService],
})
export class AttestationsModule {}
