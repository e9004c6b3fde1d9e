import { ApiPropertyOptional } from '@nestjs/swagger';
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
  @ApiPropertyOptional({ description: '1-255 characters', example: 'Support' })
  @IsOptional()
  @IsString()
  name?: string;

  @ApiPropertyOptional({
    description: '1-50 characters: a letter, then lowercase letters, numbers and hyphens',
    example: 'support',
  })
  @IsOptional()
  @IsString()
  identifier?: string;

  @ApiPropertyOptional({ enum: ['all', 'selective'] })
  @IsOptional()
  @IsIn(['all', 'selective'])
  secretMode?: 'all' | 'selective';

  @ApiPropertyOptional({ type: [String], maxItems: 100 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  secretIds?: string[];
}

/** Where a secret is injected into outgoing requests. */
export class InjectionConfigDto {
  @ApiPropertyOptional({ example: 'Authorization' })
  @IsOptional()
  @IsString()
  headerName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  paramName?: string;
}

/** `POST /api/secrets`. */
export class CreateSecretDto {
  @ApiPropertyOptional({ example: 'GitHub token' })
  @IsOptional()
  @IsString()
  name?: string;

  @ApiPropertyOptional({ enum: ['generic', 'bearer'] })
  @IsOptional()
  @IsIn(['generic', 'bearer'])
  type?: 'generic' | 'bearer';

  @ApiPropertyOptional({ description: 'A hostname, not a URL', example: 'api.github.com' })
  @IsOptional()
  @IsString()
  hostPattern?: string;

  @ApiPropertyOptional({ type: () => InjectionConfigDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => InjectionConfigDto)
  injectionConfig?: InjectionConfigDto;
}

/** `PATCH /api/secrets/:id`: `{}` is the domain's "No fields to update". */
export class UpdateSecretDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  name?: string;

  @ApiPropertyOptional({ description: 'A hostname, not a URL' })
  @IsOptional()
  @IsString()
  hostPattern?: string;
}

const RULE_ACTIONS = ['allow', 'deny', 'rate_limit'] as const;

/** `POST /api/rules`: rateLimit and rateLimitWindow (seconds) only matter for `rate_limit`. */
export class CreateRuleDto {
  @ApiPropertyOptional({ enum: RULE_ACTIONS })
  @IsOptional()
  @IsIn(RULE_ACTIONS)
  action?: (typeof RULE_ACTIONS)[number];

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Requests per window' })
  @IsOptional()
  @IsInt()
  @Min(1)
  rateLimit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'The window, in seconds' })
  @IsOptional()
  @IsInt()
  @Min(1)
  rateLimitWindow?: number;
}

/** `PATCH /api/rules/:id`: `{}` is the domain's "At least one field must be provided". */
export class UpdateRuleDto {
  @ApiPropertyOptional({ enum: RULE_ACTIONS })
  @IsOptional()
  @IsIn(RULE_ACTIONS)
  action?: (typeof RULE_ACTIONS)[number];
}

/** `POST /api/apps/:provider/connect`: the provider's credential fields, checked by the service. */
export class ConnectAppDto {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  fields?: Record<string, unknown>;
}

/** `PUT /api/apps/:provider/byoc`: the OAuth client of the customer's own app. */
export class ConfigureClientDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  clientId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  clientSecret?: string;
}

/** `PATCH /api/user`. */
export class RenameUserDto {
  @ApiPropertyOptional({ description: '1-255 characters' })
  @IsOptional()
  @IsString()
  name?: string;
}
