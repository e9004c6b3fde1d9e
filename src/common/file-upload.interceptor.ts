import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  type OnModuleInit,
  type Type,
  mixin,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FileInterceptor as ExpressFileInterceptor } from '@nestjs/platform-express';
import { FileInterceptor as FastifyFileInterceptor } from '@nestjs/platform-fastify/multipart';
import type { Observable } from 'rxjs';

/** One uploaded file as both platforms' interceptors hand it over (memory storage). */
export interface UploadedFileContent {
  fieldname: string;
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

/** The limits both platforms' interceptors take (multer's names). */
export interface UploadLimits {
  /** Bytes per file: a larger one is a 413. */
  fileSize: number;
  /** Files, text fields, parts (both), bytes of a field's name: over any of them is a 400. */
  files?: number;
  fields?: number;
  parts?: number;
  fieldNameSize?: number;
}

/** What the platform interceptors are: mixins taking the module options and the adapter host. */
type PlatformInterceptor = new (
  options: undefined,
  adapterHost: HttpAdapterHost,
) => NestInterceptor & Partial<OnModuleInit>;

/**
 * `FileInterceptor(field, { limits })` of the platform the app runs on: multer's
 * (`@nestjs/platform-express`) on Express, Nest's own over `@fastify/multipart`
 * (`@nestjs/platform-fastify/multipart`) on Fastify. Both keep the file in memory and fill
 * `@UploadedFile()` and the text fields of `@Body()` alike; a request that is not multipart passes
 * through untouched. The platform is known once the app is created (a testing module compiles its
 * providers before), so the platform's interceptor is made when the module initializes.
 */
export function FileUploadInterceptor(field: string, limits: UploadLimits): Type<NestInterceptor> {
  @Injectable()
  class PlatformFileUploadInterceptor implements NestInterceptor, OnModuleInit {
    private platform: NestInterceptor | undefined;

    constructor(private readonly adapterHost: HttpAdapterHost) {}

    onModuleInit(): void {
      const Interceptor = (
        this.adapterHost.httpAdapter.getType() === 'fastify'
          ? FastifyFileInterceptor(field, { limits })
          : ExpressFileInterceptor(field, { limits })
      ) as PlatformInterceptor;
      const platform = new Interceptor(undefined, this.adapterHost);
      // Fastify's registers @fastify/multipart with the adapter before the server starts.
      platform.onModuleInit?.();
      this.platform = platform;
    }

    intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      return Promise.resolve(this.platform!.intercept(context, next));
    }
  }
  return mixin(PlatformFileUploadInterceptor);
}
