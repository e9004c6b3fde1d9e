import { Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import {
  ApiErrors,
  InvalidGrantException,
  MfaRequiredException,
  RateLimitedException,
  SsoRequiredException,
  ValidationFailedException,
} from 'nest-api-errors';
import { JsonBody } from '../common/json-body.decorator.js';
import { TAGS } from '../openapi.js';
import { ACCESS_TOKEN_TTL_SECONDS, AuthExchangeService } from './auth-exchange.service.js';
import { ExchangeDto } from './identity-api.dto.js';

/**
 * `POST /v2/auth/exchange` accepts this many requests per minute from one IP: guessing subject
 * tokens is the attack a token endpoint invites.
 */
export const EXCHANGE_RATE_LIMIT = { limit: 20, ttl: 60_000 } as const;

/** `/v2/auth`: the token exchange (README § `/v2`, `traced` errors). */
@Controller('v2/auth')
@ApiTags(TAGS.identity)
export class AuthExchangeController {
  constructor(private readonly exchanges: AuthExchangeService) {}

  @Post('exchange')
  @HttpCode(200)
  @UseGuards(ThrottlerGuard)
  @Throttle({ default: EXCHANGE_RATE_LIMIT })
  @ApiOperation({ summary: 'Trade a subject token for an access token', security: [] })
  @ApiErrors(
    ValidationFailedException,
    InvalidGrantException,
    SsoRequiredException,
    MfaRequiredException,
    RateLimitedException,
  )
  @ApiOkResponse({ description: 'The access token' })
  exchange(@JsonBody() body: ExchangeDto) {
    return {
      access_token: this.exchanges.exchange(body.subject_token),
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
    };
  }
}
