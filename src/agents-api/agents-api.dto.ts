import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
} from 'class-validator';

/*
 * The bodies of `/api` (README § `/api`). The DTOs check JSON types only: every rule the API
 * documents a message for (lengths, formats, required fields, "empty body") stays in
 * AgentsApiService, which throws the documented message. So a field is optional here even when
 * the domain requires it: its absence is the domain's error, its wrong type is a validation error.
 */

/** `POST /api/agents`. */
export class CreateAgentDto {
  @IsOptional()
  @IsString()
  name?: string;

  @IsOptional()
  @IsString()
  identifier?: string;

  @IsOptional()
  @IsIn(['all', 'selective'])
  secretMode?: 'all' | 'selective';

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  secretIds?: string[];
}

/** Where a secret is injected into outgoing requests. */
export class InjectionConfigDto {
  @IsOptional()
  @IsString()
  headerName?: string;

  @IsOptional()
  @IsString()
  paramName?: string;
}

/** `POST /api/secrets`. */
export class CreateSecretDto {
  @IsOptional()
  @IsString()
  name?: string;

  @IsOptional()
  @IsIn(['generic', 'bearer'])
  type?: 'generic' | 'bearer';

  @IsOptional()
  @IsString()
  hostPattern?: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => InjectionConfigDto)
  injectionConfig?: InjectionConfigDto;
}

/** `PATCH /api/secrets/:id`: `{}` is the domain's "No fields to update". */
export class UpdateSecretDto {
  @IsOptional()
  @IsString()
  name?: string;

  @IsOptional()
  @IsString()
  hostPattern?: string;
}

const RULE_ACTIONS = ['allow', 'deny', 'rate_limit'] as const;

/** `POST /api/rules`: rateLimit and rateLimitWindow (seconds) only matter for `rate_limit`. */
export class CreateRuleDto {
  @IsOptional()
  @IsIn(RULE_ACTIONS)
  action?: (typeof RULE_ACTIONS)[number];

  @IsOptional()
  @IsInt()
  @Min(1)
  rateLimit?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  rateLimitWindow?: number;
}

/** `PATCH /api/rules/:id`: `{}` is the domain's "At least one field must be provided". */
export class UpdateRuleDto {
  @IsOptional()
  @IsIn(RULE_ACTIONS)
  action?: (typeof RULE_ACTIONS)[number];
}

/** `POST /api/apps/:provider/connect`: the provider's credential fields, checked by the service. */
export class ConnectAppDto {
  @IsOptional()
  @IsObject()
  fields?: Record<string, unknown>;
}

/** `PUT /api/apps/:provider/byoc`: the OAuth client of the customer's own app. */
export class ConfigureClientDto {
  @IsOptional()
  @IsString()
  clientId?: string;

  @IsOptional()
  @IsString()
  clientSecret?: string;
}

/** `PATCH /api/user`. */
export class RenameUserDto {
  @IsOptional()
  @IsString()
  name?: string;
}
