import { PartialType } from '@nestjs/swagger';
import { BoolField } from '../../common/validators.js';
import { CreateUserDto } from './create-user.dto.js';

export class UpdateUserDto extends PartialType(CreateUserDto) {
  @BoolField({
    optional: true,
    description: 'true disables the account (its tokens stop working); false enables it',
  })
  disabled?: boolean;
}
