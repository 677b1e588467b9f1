import { PartialType } from '@nestjs/swagger';
import { IntField } from '../../common/validators.js';
import { NewAttestationDto } from './new-attestation.dto.js';

/** The subject (victim or incident) cannot change: attest the other record and delete this one. */
export class UpdateAttestationDto extends PartialType(NewAttestationDto) {
  @IntField(1, 2_147_483_647, {
    description: 'The version you edited; a stale one gets 409',
    example: 1,
  })
  version: number;
}
