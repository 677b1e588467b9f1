import { IntField, TextField, UuidField } from '../../common/validators.js';

export class MergeVictimDto {
  @UuidField({
    description: 'The record this one duplicates: it is kept and counted, this one is not',
  })
  into: string;

  @IntField(1, 2_147_483_647, {
    description: 'The version of the record being merged (409 when stale)',
    example: 1,
  })
  version: number;

  @TextField({
    max: 2000,
    description: 'Why they are the same person',
    example: 'Same name (تک / تاک), age, city and day',
  })
  reason: string;
}

export class UnmergeVictimDto {
  @IntField(1, 2_147_483_647, {
    description: 'The version of the merged record (409 when stale)',
    example: 2,
  })
  version: number;

  @TextField({
    max: 2000,
    description: 'Why the merge was wrong',
    example: 'Different fathers’ names in the second source',
  })
  reason: string;
}
