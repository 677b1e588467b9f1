import { PartialType } from '@nestjs/swagger';
import { IntField } from '../../common/validators.js';
import { CreateLocationDto } from './create-location.dto.js';

/** Send only what changes. `parent: null` makes a country a root again; moving a place moves its subtree. */
export class UpdateLocationDto extends PartialType(CreateLocationDto) {
  @IntField(1, 2_147_483_647, {
    description: 'The version you edited; a stale one gets 409',
    example: 1,
  })
  version: number;
}
