import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ApiErrors } from 'nest-api-errors';
import { TAGS } from '../openapi.js';
import { HeapHealthIndicator } from './heap.health.js';

/** `GET /api/health` through @nestjs/terminus; a failing check answers in the envelope format. */
@Controller('api/health')
@ApiTags(TAGS.health)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly heap: HeapHealthIndicator,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Whether the process is healthy', security: [] })
  // A failing check: terminus throws a 503, answered in the envelope format.
  @ApiErrors(ServiceUnavailableException)
  // Terminus documents its own 200 and 503 bodies; the 503 above replaces the latter.
  @HealthCheck()
  check() {
    return this.health.check([() => this.heap.check('memory_heap')]);
  }
}
