import { OmitType, PartialType } from '@nestjs/swagger';
import { IntField } from '../../common/validators.js';
import { CreateIncidentDto } from './create-incident.dto.js';

/** Send only what changes (null clears an optional field). Attestations are added through /api/attestations. */
export class UpdateIncidentDto extends PartialType(
  OmitType(CreateIncidentDto, ['attestations'] as const),
) {
  @IntField(1, 2_147_483_647, {
    description: 'The version you edited; a stale one gets 409',
    example: 1,
  })
  version: number;
}
