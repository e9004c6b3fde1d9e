import { Module } from '@nestjs/common';
import { BearerAuthGuard } from './auth/bearer-auth.guard.js';
import { PlatformStore } from './data/platform.store.js';
import { FILE_STORAGE, InMemoryFileStorage } from './files/file-storage.js';
import { FilesController } from './files/files.controller.js';
import { FilesService } from './files/files.service.js';
import { FlowsController } from './flows/flows.controller.js';
import { FlowsService } from './flows/flows.service.js';
import { SessionsController } from './sessions/sessions.controller.js';
import { SessionsService } from './sessions/sessions.service.js';

/** `/api/v1`: sessions, flows and vault files (README § `/api/v1`), in the `timestamped` format. */
@Module({
  controllers: [SessionsController, FlowsController, FilesController],
  providers: [
    PlatformStore,
    BearerAuthGuard,
    SessionsService,
    FlowsService,
    FilesService,
    { provide: FILE_STORAGE, useClass: InMemoryFileStorage },
  ],
})
export class PlatformModule {}
