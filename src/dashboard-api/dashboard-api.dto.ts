import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsLocale, IsOptional, IsString, Length } from 'class-validator';

/*
 * The bodies of `/api/dashboard` (README § `/api/dashboard`). A token or credential that is merely wrong
 * is the domain's error (AUTH_INVALID_CREDENTIALS, INVALID_INVITE_TOKEN, …); the DTOs refuse what
 * is not even of the right type.
 */

/** `POST /api/dashboard/auth/login`. */
export class LoginDto {
  @ApiProperty({ example: 'owner@acme.test' })
  @IsString()
  email!: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  password!: string;
}

/** `POST /api/dashboard/register`: a new company and its owner. */
export class RegisterDto {
  @ApiProperty({ format: 'email' })
  @IsEmail()
  email!: string;

  @ApiProperty({ minLength: 1, maxLength: 255, example: 'Initech' })
  // class-validator reports the decorator nearest the property first: the type, then the length.
  @Length(1, 255)
  @IsString()
  company!: string;
}

/** `POST /api/dashboard/invites/accept` and `POST /api/dashboard/password-reset`. */
export class TokenDto {
  @ApiProperty()
  @IsString()
  token!: string;
}

/** `POST /api/dashboard/members`: invite someone to the caller's company. */
export class AddMemberDto {
  @ApiProperty({ format: 'email' })
  @IsEmail()
  email!: string;
}

/** `POST /api/dashboard/contents/:id/translate`: the target locale, `de` when absent. */
export class TranslateDto {
  @ApiPropertyOptional({ example: 'de', default: 'de' })
  @IsOptional()
  @IsLocale()
  locale?: string;
}
