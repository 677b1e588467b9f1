import { VictimFilterDto } from '../../victim-scope/victim-filter.js';
import { EnumField, QueryBoolField } from '../../common/validators.js';
import { EXPORT_FORMATS } from '../writers.js';

export class ExportQueryDto {
  @EnumField(EXPORT_FORMATS, {
    optional: true,
    description: 'csv (default), json, or geojson (not for sources)',
  })
  format?: string;

  @QueryBoolField({
    description: 'Export as the public sees it: verified records, no restricted field or source',
  })
  public?: boolean;
  @QueryBoolField({
    description:
      'CSV: start with a UTF-8 byte-order mark (default true: without it a spreadsheet garbles Persian text)',
  })
  bom?: boolean;
}

export class ExportVictimsQueryDto extends VictimFilterDto {
  @EnumField(EXPORT_FORMATS, { optional: true, description: 'csv (default), json, or geojson' })
  format?: string;

  @QueryBoolField({
    description: 'Export as the public sees it: verified records, no restricted field or source',
  })
  public?: boolean;
  @QueryBoolField({
    description:
      'CSV: start with a UTF-8 byte-order mark (default true: without it a spreadsheet garbles Persian text)',
  })
  bom?: boolean;
}
