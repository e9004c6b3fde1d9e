import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, Length } from 'class-validator';

/*
 * The bodies of `/v2` (README § `/v2`). A subject token that is merely unknown, or a scope the
 * workspace does not grant, is the domain's error (`invalid_grant`, 422); the DTOs refuse what is
 * not even of the right type or size.
 */

/** `POST /v2/auth/exchange`. */
export class ExchangeDto {
  @ApiProperty({ minLength: 1, maxLength: 4096 })
  @IsString()
  @Length(1, 4096)
  subject_token!: string;
}

/** `POST /v2/service-accounts`. */
export class CreateServiceAccountDto {
  @ApiProperty({ minLength: 1, maxLength: 64, example: 'deployer' })
  @IsString()
  @Length(1, 64)
  name!: string;

  @ApiProperty({ type: [String], maxItems: 10, example: ['service_accounts:read'] })
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  scopes!: string[];
}
