import { Controller, Get, NotFoundException } from '@nestjs/common';
import { ErrorsModule, UseErrorFormat } from 'nest-api-errors';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, type CapturingLogger, createTestApp } from './support/test-app.js';

// A handler inherited from a base controller is one function for every controller that inherits
// it: Nest registers its routes with that function's metadata, so their declared format is one.
// Two controllers declaring it differently are named at start-up; a method of each controller's
// own gets its own format.

class BaseController {
  @Get('missing')
  missing(): never {
    throw new NotFoundException('nope');
  }
}

@Controller('a')
@UseErrorFormat('simple')
class AController extends BaseController {
  @Get('own')
  own(): never {
    throw new NotFoundException('nope');
  }
}

@Controller('b')
@UseErrorFormat('traced')
class BController extends BaseController {
  @Get('own')
  own(): never {
    throw new NotFoundException('nope');
  }
}

describe.each(ADAPTERS)(
  'UseErrorFormat on controllers sharing an inherited handler on %s',
  (adapter) => {
    let app: Awaited<ReturnType<typeof createTestApp>>['app'];
    let logger: CapturingLogger;
    beforeAll(async () => {
      ({ app, logger } = await createTestApp(adapter, {
        imports: [ErrorsModule.forRoot()],
        controllers: [AController, BController],
      }));
    });
    afterAll(() => app.close());

    it('says at start-up that the inherited handler answers in the first controller’s format', () => {
      expect(
        logger.entries
          .filter((entry) => entry.level === 'warn' && entry.params.includes('ErrorsModule'))
          .map((entry) => entry.message),
      ).toEqual([
        "AController and BController inherit the same handler (missing) and declare different error formats: its routes answer in AController's. Declare UseErrorFormat on a method of each controller's own.",
      ]);
    });

    it("the inherited handler's routes answer in that format; each own method in its controller's", async () => {
      const server = app.getHttpServer();
      expect((await request(server).get('/a/missing')).body).toEqual({ error: 'nope' });
      expect((await request(server).get('/b/missing')).body).toEqual({ error: 'nope' });
      expect((await request(server).get('/a/own')).body).toEqual({ error: 'nope' });
      expect((await request(server).get('/b/own')).body).toMatchObject({
        error: { code: 'not_found', message: 'nope' },
      });
    });
  },
);
