import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, plainToInstance } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';

const EVENT_TYPES = ['page_view', 'click', 'identify', 'flow_started', 'flow_completed'] as const;

/** One SDK event. `Invalid enum value` is the message the `/api/sdk` API documents for a bad `type`. */
export class SdkEventDto {
  @ApiProperty({ enum: EVENT_TYPES })
  @IsIn(EVENT_TYPES, { message: 'Invalid enum value' })
  type!: (typeof EVENT_TYPES)[number];

  @ApiPropertyOptional({ maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  userId?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  properties?: Record<string, unknown>;
}

/** Batch size limits of `POST /api/sdk/events`. */
const SDK_BATCH = { min: 1, max: 100 } as const;

/** Where a batch item is not an object (null, a string, an array): see `SdkEventBatchDto.events`. */
const NOT_AN_EVENT = null;

/**
 * `POST /api/sdk/events`: a batch of 1 to 100 events. A class-validator DTO like every other
 * body of the reference app, so a body of the wrong JSON type (null, a string, a number, an
 * array) fails validation, 400 `VALIDATION_ERROR`, and never reaches the handler.
 */
export class SdkEventBatchDto {
  /**
   * One violation per thing wrong, not one per rule: the size rules only speak about an array,
   * and the transform (applied to the copy that is validated, not to what the handler gets)
   * hands class-validator `undefined` for a non-array, so only `IsArray` reports it, and a
   * non-object item as `null`, so `ValidateNested` reports it at its index (`events.2`).
   * Left alone, class-validator would validate an array item as a list of events and pass `[]`.
   */
  @ApiProperty({ type: [SdkEventDto], minItems: SDK_BATCH.min, maxItems: SDK_BATCH.max })
  @IsArray({ message: 'events must be an array' })
  @ArrayMinSize(SDK_BATCH.min, { message: 'At least one event is required', validateIf: isArray })
  @ArrayMaxSize(SDK_BATCH.max, { message: 'At most 100 events per batch', validateIf: isArray })
  @ValidateNested({ each: true, message: 'Each event must be an object' })
  @Transform(({ value, options }) =>
    Array.isArray(value)
      ? value.map((item: unknown) =>
          isPlainObject(item) ? plainToInstance(SdkEventDto, item, options) : NOT_AN_EVENT,
        )
      : undefined,
  )
  events!: SdkEventDto[];
}

function isArray(_: object, value: unknown): boolean {
  return Array.isArray(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
