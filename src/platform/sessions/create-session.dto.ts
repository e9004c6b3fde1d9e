import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  MaxLength,
} from 'class-validator';

/** `POST /api/v1/sessions`: start a hosted session for an OAuth client. */
export class CreateSessionDto {
  @ApiProperty({ maxLength: 128 })
  @IsString()
  @MaxLength(128)
  client_id!: string;

  @ApiProperty({ format: 'uri', example: 'https://app.acme.test/callback' })
  @IsUrl({ require_tld: false, protocols: ['https', 'http'], require_protocol: true })
  redirect_url!: string;

  /** Files the session's flow may read. */
  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 20 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('4', { each: true })
  vault_entry_ids?: string[];
}
