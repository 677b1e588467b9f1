import { OmitType, PartialType } from '@nestjs/swagger';
import { IntField } from '../../common/validators.js';
import { CreateSourceDto } from './create-source.dto.js';

export class UpdateSourceDto extends PartialType(
  OmitType(CreateSourceDto, ['allowDuplicate'] as const),
) {
  @IntField(1, 2_147_483_647, {
    description: 'The version you edited; a stale one gets 409',
    example: 1,
  })
  version: number;
}
