import { PartialType } from '@nestjs/swagger';
import { IntField } from '../../common/validators.js';
import { CreateClaimDto } from './create-claim.dto.js';

/** Send only what changes (null clears an optional field); the figures are re-checked against the qualifier. */
export class UpdateClaimDto extends PartialType(CreateClaimDto) {
  @IntField(1, 2_147_483_647, {
    description: 'The version you edited; a stale one gets 409',
    example: 1,
  })
  version: number;
}
