import { IntField, TextField } from '../../common/validators.js';

export class CreateTokenDto {
  @TextField({
    optional: true,
    max: 200,
    example: 'import script',
    description: 'What the token is for (default "api")',
  })
  name?: string;

  @IntField(1, 3650, {
    optional: true,
    example: 90,
    description: 'Days until it expires (default from TOKEN_DEFAULT_DAYS, 90)',
  })
  expiresInDays?: number;
}
