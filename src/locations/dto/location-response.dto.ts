import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A place named briefly: in a suggestion's ancestry, a record's scope. */
export class PlaceRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'province' }) kind: string;
  @ApiProperty({ example: 'Khuzestan' }) nameEn: string;
  @ApiProperty({ nullable: true, type: String, example: 'خوزستان' }) nameFa: string | null;
}

export class NameMatchDto {
  @ApiProperty({ description: 'The name as entered that the query hit', example: 'ماهشهر' })
  name: string;
  @ApiProperty({ enum: ['exact', 'prefix', 'word_prefix', 'similar'] }) match: string;
}

export class LocationResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'city' }) kind: string;
  @ApiProperty({ example: 'Bandar-e Mahshahr' }) nameEn: string;
  @ApiProperty({ nullable: true, type: String, example: 'بندر ماهشهر' }) nameFa: string | null;
  @ApiProperty({ type: [String], example: ['Mahshahr', 'Bandar Mahshahr'] }) variantsEn: string[];
  @ApiProperty({ type: [String], example: ['ماهشهر'] }) variantsFa: string[];
  @ApiProperty({ nullable: true, type: PlaceRefDto }) parent: PlaceRefDto | null;
  @ApiProperty({ type: [PlaceRefDto], description: 'From the root down to the parent' })
  ancestors: PlaceRefDto[];
  @ApiProperty({ type: [String], description: 'Ids from the root to the place itself' })
  path: string[];
  @ApiProperty({ example: 2 }) depth: number;
  @ApiProperty({ nullable: true, type: Number }) lat: number | null;
  @ApiProperty({ nullable: true, type: Number }) lon: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'centroid' }) precision: string | null;
  @ApiPropertyOptional({ type: NameMatchDto, description: 'With q=: the name that matched' })
  matched?: NameMatchDto;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}
