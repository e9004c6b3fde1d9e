import 'reflect-metadata';
import {
  Body,
  Controller,
  Get,
  type INestApplication,
  Module,
  NotFoundException,
  Post,
  ValidationPipe,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Type } from 'class-transformer';
import { IsEmail, IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { EntryNotFoundException, ErrorsModule, RateLimitedException } from 'nest-api-errors';
import { pathToFileURL } from 'node:url';

// One app, two builds: MODE=builtin is the app as Nest ships it (its own exception filter and
// ValidationPipe), MODE=errors is the same app with ErrorsModule.forRoot(). PLATFORM picks the
// HTTP adapter. The bench runner starts one process per (platform, mode) and drives them in turns.

const MESSAGE = 'Requested file entry does not exist';

class AddressDto {
  @IsString()
  city!: string;

  @IsString()
  zip!: string;
}

class ItemDto {
  @IsString()
  name!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

/** Five violations on a nested body: email, address.city, address.zip, items.0.name, items.0.quantity. */
class OrderDto {
  @IsEmail()
  email!: string;

  @ValidateNested()
  @Type(() => AddressDto)
  address!: AddressDto;

  @ValidateNested({ each: true })
  @Type(() => ItemDto)
  items!: ItemDto[];
}

/** `builtin`: the app as Nest ships it. `errors`: the same app with ErrorsModule.forRoot(). */
export type BenchMode = 'builtin' | 'errors';
export type BenchPlatform = 'express' | 'fastify';

/** The body that fails validation five times (see OrderDto). */
export const INVALID_ORDER = {
  email: 'nope',
  address: { city: 1, zip: 2 },
  items: [{ name: 3, quantity: 0 }],
};

/** The bench app in one mode on one platform, initialized and listening on a free loopback port. */
export async function createBenchApp(
  mode: BenchMode,
  platform: BenchPlatform,
): Promise<INestApplication> {
  @Controller()
  class BenchController {
    @Get('ok')
    ok() {
      return { ok: true };
    }

    /** The typed domain error: a catalog class under ErrorsModule, Nest's closest built-in without it. */
    @Get('typed')
    typed() {
      throw mode === 'errors' ? new EntryNotFoundException() : new NotFoundException(MESSAGE);
    }

    /** Nest's own HttpException, the same in both modes. */
    @Get('http')
    http() {
      throw new NotFoundException(MESSAGE);
    }

    @Post('validate')
    validate(@Body() order: OrderDto) {
      return order;
    }

    /** For `npm run load`: an internal error and a rate limit. */
    @Get('crash')
    crash() {
      throw new Error('password=hunter2');
    }

    @Get('limited')
    limited() {
      throw new RateLimitedException({ retryAfterSeconds: 30 });
    }

    /** For `npm run load`: the heap after a full collection (the app runs with --expose-gc). */
    @Get('__heap')
    heap() {
      (globalThis as { gc?: () => void }).gc?.();
      return { heapUsed: process.memoryUsage().heapUsed };
    }
  }

  @Module({
    imports: mode === 'errors' ? [ErrorsModule.forRoot({ logging: { clientErrors: false } })] : [],
    controllers: [BenchController],
  })
  class BenchModule {}

  const adapter = platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = await NestFactory.create(BenchModule, adapter, { logger: ['error', 'warn'] });
  if (mode === 'builtin') {
    app.useGlobalPipes(new ValidationPipe());
  }
  await app.listen(0, '127.0.0.1');
  return app;
}

/** As a child process of the runner: MODE and PLATFORM from the environment, port on stdout. */
async function main() {
  const app = await createBenchApp(
    process.env.MODE === 'errors' ? 'errors' : 'builtin',
    process.env.PLATFORM === 'fastify' ? 'fastify' : 'express',
  );
  const address = app.getHttpServer().address() as { port: number };
  process.stdout.write(`READY ${address.port}\n`);
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
