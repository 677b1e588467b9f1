import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import { DateParseError, parseDateInput } from './dates.js';
import { normaliseUuid, UUID_RE } from './input-guard.js';
import { CREDIBILITY_MAX, CREDIBILITY_MIN, RELIABILITIES } from './domain.js';

type Opt = { optional?: boolean; description?: string; example?: unknown; nullable?: boolean };

function doc(opt: Opt, extra: ApiPropertyOptions = {}): PropertyDecorator {
  const o = {
    description: opt.description,
    example: opt.example,
    nullable: opt.nullable,
    ...extra,
  } as ApiPropertyOptions;
  return opt.optional ? ApiPropertyOptional(o) : ApiProperty(o);
}

function maybe(opt: Opt): PropertyDecorator[] {
  return opt.optional ? [IsOptional()] : [];
}

/** A free text field: trimmed, not empty, bounded. */
export function TextField(opt: Opt & { max?: number } = {}): PropertyDecorator {
  return applyDecorators(
    doc(opt, { type: String, maxLength: opt.max ?? 2000 }),
    ...maybe(opt),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.trim() : value,
    ),
    IsString(),
    MinLength(1, { message: '$property must not be empty' }),
    MaxLength(opt.max ?? 2000),
  );
}

/**
 * A UUID in its canonical form, either case, normalised to lower case (src/common/input-guard.ts):
 * the same rule as `:id` path parameters and import files. `each` for a list of ids.
 */
export function UuidField(opt: Opt & { each?: boolean; message?: string } = {}): PropertyDecorator {
  return applyDecorators(
    ...(opt.each ? [] : [doc(opt, { type: String, format: 'uuid' })]),
    ...maybe(opt),
    Transform(({ value }: { value: unknown }) =>
      Array.isArray(value) ? value.map(normaliseUuid) : normaliseUuid(value),
    ),
    Matches(UUID_RE, {
      each: opt.each,
      message: opt.message ?? (opt.each ? '$property must hold UUIDs' : '$property must be a UUID'),
    }),
  );
}

export function EnumField(values: readonly string[], opt: Opt = {}): PropertyDecorator {
  return applyDecorators(
    doc(opt, { enum: values as string[] }),
    ...maybe(opt),
    IsIn(values as string[], { message: `$property must be one of: ${values.join(', ')}` }),
  );
}

export function IntField(min: number, max: number, opt: Opt = {}): PropertyDecorator {
  return applyDecorators(
    doc(opt, { type: Number, minimum: min, maximum: max }),
    ...maybe(opt),
    IsInt({ message: '$property must be a whole number' }),
    Min(min, { message: `$property must be at least ${min}` }),
    Max(max, { message: `$property must be at most ${max}` }),
  );
}

/** An integer given in a query string ("?limit=50"). */
export function QueryIntField(min: number, max: number, opt: Opt = {}): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value,
    ),
    IntField(min, max, { optional: true, ...opt }),
  );
}

export function BoolField(opt: Opt = {}): PropertyDecorator {
  return applyDecorators(
    doc(opt, { type: Boolean }),
    ...maybe(opt),
    IsBoolean({ message: '$property must be true or false' }),
  );
}

/** A boolean given in a query string ("?restricted=true"). */
export function QueryBoolField(opt: Opt = {}): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      value === 'true' ? true : value === 'false' ? false : value,
    ),
    BoolField({ optional: true, ...opt }),
  );
}

/** Admiralty source reliability A–F. */
export function ReliabilityField(opt: Opt = {}): PropertyDecorator {
  return EnumField(RELIABILITIES, {
    description:
      'Source reliability (Admiralty): A completely reliable … E unreliable, F cannot be judged',
    example: 'B',
    ...opt,
  });
}

/** Admiralty information credibility 1–6. */
export function CredibilityField(opt: Opt = {}): PropertyDecorator {
  return IntField(CREDIBILITY_MIN, CREDIBILITY_MAX, {
    description:
      'Information credibility (Admiralty): 1 confirmed … 5 improbable, 6 cannot be judged',
    example: 2,
    ...opt,
  });
}

function calendarOf(obj: unknown, field: string | undefined): 'gregorian' | 'jalali' | undefined {
  const v = field ? (obj as Record<string, unknown>)[field] : undefined;
  return v === 'jalali' || v === 'gregorian' ? v : undefined;
}

/** Valid when parseDateInput accepts it, in the calendar named by a sibling field if any. */
export function IsDateInput(
  calendarField?: string,
  options?: ValidationOptions,
): PropertyDecorator {
  const problem = (value: unknown, obj: unknown): string | null => {
    if (typeof value !== 'string') return 'must be a string';
    try {
      parseDateInput(value, calendarOf(obj, calendarField));
      return null;
    } catch (e) {
      return e instanceof DateParseError ? e.message : 'is not a date';
    }
  };
  return ValidateBy(
    {
      name: 'isDateInput',
      validator: {
        validate: (value: unknown, args) => problem(value, args?.object) === null,
        defaultMessage: (args) =>
          `${args?.property} is not a valid date: ${problem(args?.value, args?.object)}`,
      },
    },
    options,
  );
}

/**
 * A date as researchers write it: ISO (2019-11-16, 2019-11, 2019), a range
 * (2019-11-15/2019-11-19), or Solar Hijri with its calendar explicit (1398-08-25 SH, ۲۵ آبان ۱۳۹۸).
 */
export function DateInputField(opt: Opt & { calendarField?: string } = {}): PropertyDecorator {
  return applyDecorators(
    doc(
      { example: '2019-11-16', ...opt },
      {
        type: String,
        description:
          opt.description ??
          'ISO date, partial date (2019-11, 2019) or range (2019-11-15/2019-11-19); Solar Hijri with the calendar explicit: "1398-08-25 SH", "jalali:1398/08/25", "۲۵ آبان ۱۳۹۸", or pass the calendar field. The text is kept as typed.',
      },
    ),
    ...maybe(opt),
    IsString(),
    MaxLength(100),
    IsDateInput(opt.calendarField),
  );
}
