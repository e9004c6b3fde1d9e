import { Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApiErrors,
  AuthFailedException,
  ContentNotFoundException,
  RateLimitedException,
  ValidationFailedException,
} from 'nest-api-errors';
import { JsonBody } from '../common/json-body.decorator.js';
import { SECURITY, TAGS } from '../openapi.js';
import { SdkApiKeyGuard } from './sdk-api-key.guard.js';
import { SdkEventBatchDto } from './sdk-api.dto.js';
import { SdkService } from './sdk-api.service.js';
import { SdkThrottlerGuard } from './sdk-throttler.guard.js';

/** `/api/sdk`: the product-tours SDK (README § `/api/sdk`, `envelope` errors). */
@Controller('api/sdk')
@UseGuards(SdkApiKeyGuard, SdkThrottlerGuard)
@ApiTags(TAGS.sdk)
@ApiSecurity(SECURITY.sdkApiKey)
// SdkApiKeyGuard's AUTH_FAILED; SdkThrottlerGuard's 429 (the throttler's error renders as RATE_LIMITED).
@ApiErrors(AuthFailedException, RateLimitedException)
export class SdkController {
  constructor(private readonly sdk: SdkService) {}

  @Post('events')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a batch of 1 to 100 events' })
  @ApiErrors(ValidationFailedException)
  @ApiAcceptedResponse({ description: 'How many events were accepted' })
  events(@JsonBody() batch: SdkEventBatchDto) {
    return this.sdk.recordEvents(batch);
  }

  @Get('content/:id')
  @ApiOperation({ summary: 'A tour, tooltip or survey' })
  @ApiErrors(ContentNotFoundException)
  @ApiOkResponse({ description: 'The content' })
  content(@Param('id') id: string) {
    return this.sdk.content(id);
  }
}
