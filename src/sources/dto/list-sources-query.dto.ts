import { PageQueryDto } from '../../common/pagination.js';
import { EnumField, TextField } from '../../common/validators.js';
import { RELIABILITIES, SOURCE_KINDS } from '../../common/domain.js';

export class ListSourcesQueryDto extends PageQueryDto {
  @TextField({ optional: true, max: 200, description: 'Words in the title or publisher' })
  q?: string;

  @EnumField(SOURCE_KINDS, { optional: true })
  kind?: string;

  @EnumField(RELIABILITIES, { optional: true, description: 'Only sources graded this or better' })
  minReliability?: string;
}
