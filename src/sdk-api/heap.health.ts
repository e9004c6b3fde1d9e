import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

/** Above this much heap in use, the process reports itself unhealthy. */
export const HEAP_LIMIT_BYTES = 1024 * 1024 * 1024;

/**
 * The one check of `GET /api/health`: the heap in use, under `HEAP_LIMIT_BYTES`. Through
 * terminus's `HealthIndicatorService`, so a failing check is terminus's own 503 (answered in the
 * `envelope` format of its prefix), and the e2e suites can make it fail.
 */
@Injectable()
export class HeapHealthIndicator {
  constructor(private readonly indicators: HealthIndicatorService) {}

  check(key: string) {
    const heapUsed = process.memoryUsage().heapUsed;
    const session = this.indicators.check(key);
    return heapUsed < HEAP_LIMIT_BYTES ? session.up({ heapUsed }) : session.down({ heapUsed });
  }
}
