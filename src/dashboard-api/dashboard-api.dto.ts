import { IsEmail, IsLocale, IsOptional, IsString, Length } from 'class-validator';

/*
 * The bodies of `/api/dashboard` (README § `/api/dashboard`). A token or credential that is merely wrong
 * is the domain's error (AUTH_INVALID_CREDENTIALS, INVALID_INVITE_TOKEN, …); the DTOs refuse what
 * is not even of the right type.
 */

/** `POST /api/dashboard/auth/login`. */
export class LoginDto {
  @IsString()
  email!: string;

  @IsString()
  password!: string;
}

/** `POST /api/dashboard/register`: a new company and its owner. */
export class RegisterDto {
  @IsEmail()
  email!: string;

  // class-validator reports the decorator nearest the property first: the type, then the length.
  @Length(1, 255)
  @IsString()
  company!: string;
}

/** `POST /api/dashboard/invites/accept` and `POST /api/dashboard/password-reset`. */
export class TokenDto {
  @IsString()
  token!: string;
}

/** `POST /api/dashboard/members`: invite someone to the caller's company. */
export class AddMemberDto {
  @IsEmail()
  email!: string;
}

/** `POST /api/dashboard/contents/:id/translate`: the target locale, `de` when absent. */
export class TranslateDto {
  @IsOptional()
  @IsLocale()
  locale?: string;
}
