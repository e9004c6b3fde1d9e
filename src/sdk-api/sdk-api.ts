import {
  Body,
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  HttpCode,
  Injectable,
  Module,
  Param,
  Post,
  UseGuards,
} from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TerminusModule,
} from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AuthFailedException, ContentNotFoundException } from 'nest-api-errors';
import { z } from 'zod';

/** Demo SDK keys (reference-docs/004): one active, one revoked. */
export const SDK_KEYS = { active: 'demo-sdk-key', revoked: 'demo-sdk-revoked-key' } as const;

/** "SDK routes allow 600 requests/min per API key" (reference-docs/004). */
export const SDK_RATE_LIMIT = { ttl: 60_000, limit: 600 } as const;

const EVENT_TYPES = ['page_view', 'click', 'identify', 'flow_started', 'flow_completed'] as const;

/** Event batches, validated by Nest 12's Standard Schema support (`@Body({ schema })`). */
const eventsSchema = z.object({
  events: z
    .array(
      z.object({
        type: z.enum(EVENT_TYPES, { message: 'Invalid enum value' }),
        userId: z.string().max(128).optional(),
        properties: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .min(1, { message: 'At least one event is required' })
    .max(100, { message: 'At most 100 events per batch' }),
});

/** `X-API-Key` (not `Authorization: Bearer`): missing, unknown or revoked → `AUTH_FAILED`. */
@Injectable()
export class SdkApiKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const key = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers[
      'x-api-key'
    ];
    if (key !== SDK_KEYS.active) {
      throw new AuthFailedException();
    }
    return true;
  }
}

/** The SDK limit counts per API key, not per IP. */
@Injectable()
export class SdkThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, any>): Promise<string> {
    return String(request.headers['x-api-key']);
  }
}

const CONTENT = new Map([['tour_welcome', { id: 'tour_welcome', kind: 'tooltip', steps: 3 }]]);

/** `/api/sdk`: the product-tours SDK of reference-docs/004 (`envelope` errors). */
@Controller('api/sdk')
@UseGuards(SdkApiKeyGuard, SdkThrottlerGuard)
export class SdkController {
  @Post('events')
  @HttpCode(202)
  events(@Body({ schema: eventsSchema }) batch: z.infer<typeof eventsSchema>) {
    return { accepted: batch.events.length };
  }

  @Get('content/:id')
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
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  @Get()
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
  imports: [ThrottlerModule.forRoot([{ name: 'default', ...SDK_RATE_LIMIT }]), TerminusModule],
  controllers: [SdkController, HealthController],
  providers: [SdkApiKeyGuard, SdkThrottlerGuard],
})
export class SdkApiModule {}
