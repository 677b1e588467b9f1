import { ROLES } from '../../common/domain.js';
import { PageQueryDto } from '../../common/pagination.js';
import { EnumField, QueryBoolField, TextField } from '../../common/validators.js';

export class ListUsersQueryDto extends PageQueryDto {
  @EnumField(ROLES, { optional: true })
  role?: string;

  @TextField({ optional: true, max: 200, description: 'Words in the name or email' })
  q?: string;

  @QueryBoolField({ description: 'Include disabled accounts (default true)' })
  includeDisabled?: boolean;
}
