import {
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  HttpCode,
  Injectable,
  Module,
  Param,
  Post,
  ServiceUnavailableException,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TerminusModule,
} from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule, type ThrottlerStorage } from '@nestjs/throttler';
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
import {
  ApiErrors,
  AuthFailedException,
  ContentNotFoundException,
  RateLimitedException,
  ValidationFailedException,
} from 'nest-api-errors';
import { createHash } from 'node:crypto';
import { JsonBody } from '../common/json-body.decorator.js';
import { SECURITY, TAGS } from '../openapi.js';
import { RATE_LIMIT_STORAGE, RateLimitStorageModule } from '../rate-limit/rate-limit.module.js';

/**
 * Demo SDK keys (reference-docs/004): two active ones (two customers, each with its own rate
 * limit) and a revoked one.
 */
export const SDK_KEYS = {
  active: 'demo-sdk-key',
  another: 'demo-sdk-key-2',
  revoked: 'demo-sdk-revoked-key',
} as const;

const ACTIVE_SDK_KEYS: ReadonlySet<unknown> = new Set([SDK_KEYS.active, SDK_KEYS.another]);

/** "SDK routes allow 600 requests/min per API key" (reference-docs/004). */
export const SDK_RATE_LIMIT = { ttl: 60_000, limit: 600 } as const;

const EVENT_TYPES = ['page_view', 'click', 'identify', 'flow_started', 'flow_completed'] as const;

/** One SDK event. `Invalid enum value` is the message reference-docs/004 shows for a bad `type`. */
export class SdkEventDto {
  @IsIn(EVENT_TYPES, { message: 'Invalid enum value' })
  type!: (typeof EVENT_TYPES)[number];

  @IsOptional()
  @IsString()
  @MaxLength(128)
  userId?: string;

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

/** `X-API-Key` (not `Authorization: Bearer`): missing, unknown or revoked → `AUTH_FAILED`. */
@Injectable()
export class SdkApiKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const key = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers[
      'x-api-key'
    ];
    if (!ACTIVE_SDK_KEYS.has(key)) {
      throw new AuthFailedException();
    }
    return true;
  }
}

/**
 * "600 requests/min per API key" (reference-docs/004): one budget per key for all SDK routes.
 * Runs after `SdkApiKeyGuard`, so the key is a valid one.
 */
@Injectable()
export class SdkThrottlerGuard extends ThrottlerGuard {
  /** Per API key, not per IP. */
  protected override async getTracker(request: Record<string, any>): Promise<string> {
    return String(request.headers['x-api-key']);
  }

  /**
   * ThrottlerGuard's own key names the controller and the handler, which would give each SDK
   * route its own 600; this one leaves the route out. Hashed, as the guard's own is, so the store
   * (Redis, when shared) never holds an API key.
   */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    throttlerName: string,
  ): string {
    return createHash('sha256').update(`sdk-api:${throttlerName}:${tracker}`).digest('hex');
  }
}

const CONTENT = new Map([['tour_welcome', { id: 'tour_welcome', kind: 'tooltip', steps: 3 }]]);

/** `/api/sdk`: the product-tours SDK of reference-docs/004 (`envelope` errors). */
@Controller('api/sdk')
@UseGuards(SdkApiKeyGuard, SdkThrottlerGuard)
@ApiTags(TAGS.sdk)
@ApiSecurity(SECURITY.sdkApiKey)
// SdkApiKeyGuard's AUTH_FAILED; SdkThrottlerGuard's 429 (the throttler's error renders as RATE_LIMITED).
@ApiErrors(AuthFailedException, RateLimitedException)
export class SdkController {
  @Post('events')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a batch of 1 to 100 events' })
  @ApiErrors(ValidationFailedException)
  @ApiAcceptedResponse({ description: 'How many events were accepted' })
  events(@JsonBody() batch: SdkEventBatchDto) {
    return { accepted: batch.events.length };
  }

  @Get('content/:id')
  @ApiOperation({ summary: 'A tour, tooltip or survey' })
  @ApiErrors(ContentNotFoundException)
  @ApiOkResponse({ description: 'The content' })
  content(@Param('id') id: string) {
    const content = CONTENT.get(id);
    if (content === undefined) {
      throw new ContentNotFoundException();
    }
    return content;
  }
}

/** `GET /api/health` through @nestjs/terminus; a failing check answers in the envelope format. */
@Controller('api/health')
@ApiTags(TAGS.health)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Whether the process is healthy', security: [] })
  // A failing check: terminus throws a 503, answered in the envelope format.
  @ApiErrors(ServiceUnavailableException)
  // Terminus documents its own 200 and 503 bodies; the 503 above replaces the latter.
  @HealthCheck()
  check() {
    return this.health.check([
      () => {
        const heapUsed = process.memoryUsage().heapUsed;
        const session = this.indicators.check('memory_heap');
        return heapUsed < 1024 * 1024 * 1024
          ? session.up({ heapUsed })
          : session.down({ heapUsed });
      },
    ]);
  }
}

@Module({
  imports: [
    // Global: `/v2`'s exchange limit counts in the same storage.
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [RATE_LIMIT_STORAGE],
      useFactory: (storage: ThrottlerStorage | null) => ({
        throttlers: [{ name: 'default', ...SDK_RATE_LIMIT }],
        storage: storage ?? undefined,
      }),
    }),
    TerminusModule,
  ],
  controllers: [SdkController, HealthController],
  providers: [SdkApiKeyGuard, SdkThrottlerGuard],
})
export class SdkApiModule {}
