import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard-api.controller.js';
import { DashboardService } from './dashboard-api.service.js';
import { DashboardStore } from './dashboard-api.store.js';
import { JwtGuard } from './jwt.guard.js';
import { NoopProvisioner, PROVISIONER } from './provisioner.js';
import { TaggingTranslator, TRANSLATOR } from './translator.js';

/**
 * `/api/dashboard`: the product-tours dashboard (README § `/api/dashboard`), in the `envelope`
 * format of its prefix. The provisioning and translation services are injection tokens, so the
 * e2e suites can make them fail.
 */
@Module({
  controllers: [DashboardController],
  providers: [
    DashboardStore,
    DashboardService,
    JwtGuard,
    { provide: PROVISIONER, useClass: NoopProvisioner },
    { provide: TRANSLATOR, useClass: TaggingTranslator },
  ],
})
export class DashboardApiModule {}
