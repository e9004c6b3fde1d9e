import { Controller, Get, Module, Param, Post, UnauthorizedException } from '@nestjs/common';
import { ApiOkResponse, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import {
  API_ERRORS_METADATA,
  ApiErrors,
  EntryDeletedException,
  EntryNotFoundException,
  ErrorsModule,
  RateLimitedException,
  UnknownProviderException,
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
          schema: { $ref: '#/components/schemas/EnvelopeErrorBody' },
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
    expect(response.content['application/problem+json']!.schema).toEqual({
      $ref: '#/components/schemas/ProblemErrorBody',
    });
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

  it('each format body is one components.schemas entry, exactly its JSON Schema', () => {
    expect(Object.keys(document.components!.schemas!).sort()).toEqual([
      'EnvelopeErrorBody',
      'ProblemErrorBody',
    ]);
    expect(document.components!.schemas!.EnvelopeErrorBody).toEqual(formatSchema('envelope'));
    expect(document.components!.schemas!.ProblemErrorBody).toEqual(formatSchema('problem'));
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

@Controller('apps')
class AppsController {
  @Get(':provider')
  @ApiErrors(UnknownProviderException, UnauthorizedException)
  connect(@Param('provider') provider: string) {
    return { provider };
  }
}

@Controller('v2/things')
class ThingsController {
  // Swagger's own decorators above ApiErrors copy its responses: they must stay unread until the
  // document is built, and so must those of a second ApiErrors.
  @Get(':id')
  @ApiOkResponse({ description: 'The thing' })
  @ApiErrors(UnauthorizedException)
  @ApiErrors(EntryNotFoundException)
  get(@Param('id') id: string) {
    return { id };
  }
}

@Module({
  imports: [
    ErrorsModule.forRoot({
      format: 'timestamped',
      routes: [{ path: '/api/v2', format: 'traced' }],
    }),
  ],
  controllers: [AppsController, ThingsController],
})
class RoutesOpenApiFixtureModule {}

describe.each(ADAPTERS)('ApiErrors with routes and a global prefix on %s', (adapter) => {
  let app: INestApplication;
  let document: ReturnType<typeof SwaggerModule.createDocument>;

  beforeAll(async () => {
    ({ app } = await createTestApp(
      adapter,
      { imports: [RoutesOpenApiFixtureModule] },
      { configure: (created) => created.setGlobalPrefix('api') },
    ));
    document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('apps').build());
  });
  afterAll(() => app.close());

  it("examples name the route's own path and fill template fields with a placeholder", () => {
    expect(document.paths['/api/apps/{provider}']!.get!.responses['404']).toEqual({
      description: 'Not Found: UNKNOWN_PROVIDER',
      content: {
        'application/json': {
          schema: { $ref: '#/components/schemas/TimestampedErrorBody' },
          examples: {
            UnknownProviderException: {
              summary: 'UNKNOWN_PROVIDER: Unknown provider: {provider}',
              description: '`<provider>` stands for the value given when the error is thrown.',
              value: {
                statusCode: 404,
                timestamp: '2026-02-17T09:18:05.040Z',
                path: '/api/apps/{provider}',
                message: 'Unknown provider: <provider>',
                code: 'UNKNOWN_PROVIDER',
              },
            },
          },
        },
      },
    });
  });

  it("Nest's own exceptions are declared too: a generic error, without code", () => {
    expect(document.paths['/api/apps/{provider}']!.get!.responses['401']).toEqual({
      description: 'Unauthorized: UnauthorizedException',
      content: {
        'application/json': {
          schema: { $ref: '#/components/schemas/TimestampedErrorBody' },
          examples: {
            UnauthorizedException: {
              summary: '401: Unauthorized',
              value: {
                statusCode: 401,
                timestamp: '2026-02-17T09:18:05.040Z',
                path: '/api/apps/{provider}',
                message: 'Unauthorized',
              },
            },
          },
        },
      },
    });
  });

  it('a route under a routes prefix (global prefix included) is documented in its format', () => {
    const response = document.paths['/api/v2/things/{id}']!.get!.responses['404'] as {
      content: Record<string, { schema: unknown; examples: Record<string, { value: unknown }> }>;
    };
    expect(response.content['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/TracedErrorBody',
    });
    expect(response.content['application/json']!.examples.EntryNotFoundException!.value).toEqual({
      error: {
        code: 'entry_not_found',
        message: 'Requested file entry does not exist',
        trace_id: '5b0f1c9e-8d4f-4a8e-9a51-0c2d6f3b7e11',
      },
    });
    expect(document.components!.schemas!.TracedErrorBody).toEqual(formatSchema('traced'));
    const responses = document.paths['/api/v2/things/{id}']!.get!.responses as Record<
      string,
      { description: string; content?: Record<string, { schema: unknown }> }
    >;
    expect(responses['200']).toEqual({ description: 'The thing' });
    expect(responses['401']!.content!['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/TracedErrorBody',
    });
  });
});
