import { PartialType } from '@nestjs/swagger';
import { IntField } from '../../common/validators.js';
import { VictimFieldsDto } from './create-victim.dto.js';

/** Send only what changes; null clears a field. Attestations have their own endpoints. */
export class UpdateVictimDto extends PartialType(VictimFieldsDto) {
  @IntField(1, 2_147_483_647, {
    description: 'The version you edited; a stale one gets 409',
    example: 1,
  })
  version: number;
}
