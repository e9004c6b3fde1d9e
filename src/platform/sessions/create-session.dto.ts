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
  @IsString()
  @MaxLength(128)
  client_id!: string;

  @IsUrl({ require_tld: false, protocols: ['https', 'http'], require_protocol: true })
  redirect_url!: string;

  /** Files the session's flow may read. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('4', { each: true })
  vault_entry_ids?: string[];
}
