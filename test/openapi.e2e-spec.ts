import { Controller, Get, Module, Param, Post } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import {
  API_ERRORS_METADATA,
  ApiErrors,
  EntryDeletedException,
  EntryNotFoundException,
  ErrorsModule,
  RateLimitedException,
  UseErrorFormat,
  ValidationFailedException,
} from 'nest-api-errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSchema } from './support/format-schemas.js';
import { ADAPTERS, createTestApp } from './support/test-app.js';
import type { INestApplication } from '@nestjs/common';

@Controller('files')
@ApiErrors(RateLimitedException)
class FilesController {
  @Get(':id')
  @ApiErrors(EntryNotFoundException, EntryDeletedException)
  get(@Param('id') id: string) {
    return { id };
  }

  @Post()
  @ApiErrors(ValidationFailedException)
  @UseErrorFormat('problem')
  create() {
    return {};
  }
}

@Module({ imports: [ErrorsModule.forRoot({ format: 'envelope' })], controllers: [FilesController] })
class OpenApiFixtureModule {}

describe.each(ADAPTERS)('ApiErrors in the OpenAPI document on %s', (adapter) => {
  let app: INestApplication;
  let document: ReturnType<typeof SwaggerModule.createDocument>;

  beforeAll(async () => {
    ({ app } = await createTestApp(adapter, { imports: [OpenApiFixtureModule] }));
    document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('files').build());
  });
  afterAll(() => app.close());

  it('errors sharing a status are named examples of one response, in the module format', () => {
    expect(document.paths['/files/{id}']!.get!.responses['404']).toEqual({
      description: 'Not Found: ENTRY_NOT_FOUND, ENTRY_DELETED_ERROR',
      content: {
        'application/json': {
          schema: formatSchema('envelope'),
          examples: {
            EntryNotFoundException: {
              summary: 'ENTRY_NOT_FOUND: Requested file entry does not exist',
              value: {
                error: {
                  message: 'Requested file entry does not exist',
                  statusCode: 404,
                  code: 'ENTRY_NOT_FOUND',
                  category: 'NOT_FOUND',
                },
              },
            },
            EntryDeletedException: {
              summary: 'ENTRY_DELETED_ERROR: Requested file entry has been deleted',
              value: {
                error: {
                  message: 'Requested file entry has been deleted',
                  statusCode: 404,
                  code: 'ENTRY_DELETED_ERROR',
                  category: 'NOT_FOUND',
                },
              },
            },
          },
        },
      },
    });
  });

  it("a route's UseErrorFormat decides its schema, content type and examples", () => {
    const response = document.paths['/files']!.post!.responses['400'] as {
      content: Record<
        string,
        { schema: unknown; examples: Record<string, { value: Record<string, unknown> }> }
      >;
    };
    expect(Object.keys(response.content)).toEqual(['application/problem+json']);
    expect(response.content['application/problem+json']!.schema).toEqual(formatSchema('problem'));
    expect(
      response.content['application/problem+json']!.examples.ValidationFailedException!.value,
    ).toMatchObject({
      type: 'about:blank',
      status: 400,
      code: 'VALIDATION_ERROR',
      errors: [
        { detail: 'name must be a string', pointer: '#/items/0/name' },
        { detail: 'age must be an integer number', pointer: '#/age' },
      ],
    });
  });

  it('a controller-level ApiErrors applies to every route', () => {
    expect(document.paths['/files/{id}']!.get!.responses['429']).toMatchObject({
      description: 'Too Many Requests: RATE_LIMITED',
    });
    expect(document.paths['/files']!.post!.responses['429']).toMatchObject({
      description: 'Too Many Requests: RATE_LIMITED',
    });
  });

  it('records the declared classes as metadata', () => {
    expect(Reflect.getMetadata(API_ERRORS_METADATA, FilesController.prototype.get)).toEqual([
      EntryNotFoundException,
      EntryDeletedException,
    ]);
    expect(Reflect.getMetadata(API_ERRORS_METADATA, FilesController)).toEqual([
      RateLimitedException,
    ]);
  });
});
