import {
  Body,
  Controller,
  Get,
  Module,
  Param,
  ParseBoolPipe,
  ParseFilePipe,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  UnauthorizedException,
  UploadedFile,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConsumes,
  ApiInternalServerErrorResponse,
  ApiOkResponse,
  DocumentBuilder,
  type OpenAPIObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import {
  API_ERRORS_METADATA,
  ApiErrors,
  EntryDeletedException,
  EntryNotFoundException,
  ErrorsModule,
  RateLimitedException,
  UnknownProviderException,
  UploadFailedException,
  UseErrorFormat,
  ValidationFailedException,
  shareResponseHeaders,
} from 'nest-api-errors';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSchema } from './support/format-schemas.js';
import { ADAPTERS, type AdapterName, createTestApp } from './support/test-app.js';
import type { INestApplication, Type } from '@nestjs/common';

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

class RenameFileDto {
  @IsString()
  name!: string;
}

class ListFilesQuery {
  @IsOptional()
  @IsString()
  type?: string;
}

/** Routes that declare nothing: what they take says what they can be refused. */
@Controller('folders')
class FoldersController {
  @Get()
  list(@Query() query: ListFilesQuery) {
    return query;
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return { id };
  }

  @Put(':id')
  @ApiErrors(UploadFailedException)
  rename(@Param('id') id: string, @Body() body: RenameFileDto) {
    return { id, ...body };
  }

  @Post(':id/archive')
  @ApiBadRequestResponse({ description: 'The folder is not empty' })
  archive(@Param('id') id: string, @Body() body: RenameFileDto) {
    return { id, ...body };
  }
}

@Module({
  imports: [ErrorsModule.forRoot({ format: 'envelope' })],
  controllers: [FilesController, FoldersController],
})
class OpenApiFixtureModule {}

/** The headers every error response declares, as ApiErrors writes them. */
const REQUEST_ID = {
  description:
    'The id of the request, as the server logs it; bodies that carry an id carry this one.',
  required: true,
  schema: { type: 'string', example: '5b0f1c9e-8d4f-4a8e-9a51-0c2d6f3b7e11' },
};
const RETRY_AFTER = {
  description: 'Seconds to wait before retrying.',
  required: true,
  schema: { type: 'integer', minimum: 0, example: 60 },
};
const CHALLENGE = {
  description: 'How to authenticate (RFC 9110 § 11.6.1).',
  required: true,
  schema: { type: 'string', example: 'Bearer' },
};

type Responses = Record<
  string,
  {
    description: string;
    headers?: Record<string, unknown>;
    content?: Record<string, { schema: unknown; examples: Record<string, { value: unknown }> }>;
  }
>;

/**
 * The document swagger builds for an app of `module` on `adapter` (created before the suite's
 * tests, closed after them), read through the function returned.
 */
function openApiDocumentOf(
  adapter: AdapterName,
  module: Type,
  configure?: (app: INestApplication) => void,
): () => OpenAPIObject {
  let app: INestApplication;
  let document: OpenAPIObject;
  beforeAll(async () => {
    ({ app } = await createTestApp(adapter, { imports: [module] }, { configure }));
    document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('api').build());
  });
  afterAll(() => app.close());
  return () => document;
}

describe.each(ADAPTERS)('ApiErrors in the OpenAPI document on %s', (adapter) => {
  const document = openApiDocumentOf(adapter, OpenApiFixtureModule);

  it('errors sharing a status are named examples of one response, in the module format', () => {
    expect(document().paths['/files/{id}']!.get!.responses['404']).toEqual({
      description: 'Not Found: ENTRY_NOT_FOUND, ENTRY_DELETED_ERROR',
      headers: { 'X-Request-Id': REQUEST_ID },
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
    const response = document().paths['/files']!.post!.responses['400'] as {
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
    expect(Object.keys(document().components!.schemas!).sort()).toEqual([
      'EnvelopeErrorBody',
      'ProblemErrorBody',
      'RenameFileDto',
    ]);
    expect(document().components!.schemas!.EnvelopeErrorBody).toEqual(formatSchema('envelope'));
    expect(document().components!.schemas!.ProblemErrorBody).toEqual(formatSchema('problem'));
  });

  it("a controller-level ApiErrors applies to every route, with the route's own path", () => {
    const example = (path: string, method: 'get' | 'post', format = 'application/json') =>
      (document().paths[path]![method]!.responses as Responses)['429']!.content![format]!.examples
        .RateLimitedException!.value;
    expect(document().paths['/files/{id}']!.get!.responses['429']).toMatchObject({
      description: 'Too Many Requests: RATE_LIMITED',
      headers: { 'X-Request-Id': REQUEST_ID, 'Retry-After': RETRY_AFTER },
    });
    expect(example('/files/{id}', 'get')).toEqual({
      error: {
        message: 'Too many requests',
        statusCode: 429,
        code: 'RATE_LIMITED',
        category: 'RATE_LIMIT',
      },
    });
    expect(document().paths['/files']!.post!.responses['429']).toMatchObject({
      description: 'Too Many Requests: RATE_LIMITED',
    });
    // problem carries the path: the route's, not the controller's.
    expect(example('/files', 'post', 'application/problem+json')).toMatchObject({
      instance: '/files',
    });
    expect(example('/files/{id}', 'get')).not.toHaveProperty('instance');
  });

  it('a route with a body declares what the body parsers answer: 400, 413 and 415', () => {
    const responses = document().paths['/files']!.post!.responses as Responses;
    // A method-level ApiErrors declares errors only, as swagger's @ApiResponse does.
    expect(Object.keys(responses)).toEqual(['400', '413', '415', '429', '500']);
    expect(responses['400']!.description).toBe('Bad Request: VALIDATION_ERROR, malformed JSON');
    const content = (status: string) => responses[status]!.content!['application/problem+json']!;
    expect(Object.keys(content('400').examples)).toEqual([
      'ValidationFailedException',
      'MalformedJson',
    ]);
    expect(content('400').examples.MalformedJson).toEqual({
      summary: '400: Malformed JSON in request body',
      value: {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'Malformed JSON in request body',
        instance: '/files',
        requestId: '5b0f1c9e-8d4f-4a8e-9a51-0c2d6f3b7e11',
      },
    });
    expect(responses['413']).toEqual({
      description: 'Payload Too Large: a body over the size limit',
      headers: { 'X-Request-Id': REQUEST_ID },
      content: {
        'application/problem+json': {
          schema: { $ref: '#/components/schemas/ProblemErrorBody' },
          examples: {
            BodyTooLarge: {
              summary: '413: Request body is too large',
              value: {
                type: 'about:blank',
                title: 'Payload Too Large',
                status: 413,
                detail: 'Request body is too large',
                instance: '/files',
                requestId: '5b0f1c9e-8d4f-4a8e-9a51-0c2d6f3b7e11',
              },
            },
          },
        },
      },
    });
    expect(responses['415']!.description).toBe(
      'Unsupported Media Type: a media type, charset or encoding no parser takes',
    );
    expect(content('415').examples.UnsupportedMediaType!.value).toMatchObject({
      status: 415,
      detail: 'Unsupported media type',
    });
  });

  it('a route that declares nothing still gets the 400 of its validated DTO and its body errors', () => {
    const put = document().paths['/folders/{id}']!.put!.responses as Responses;
    expect(Object.keys(put)).toEqual(['400', '413', '415', '500', '503']);
    expect(Object.keys(put['400']!.content!['application/json']!.examples)).toEqual([
      'ValidationFailedException',
      'MalformedJson',
    ]);
    // UploadFailedException has no default Retry-After: none is declared (its thrower may add one).
    expect(put['503']!.headers).toEqual({ 'X-Request-Id': REQUEST_ID });
    // A validated query is a 400, without a body's errors; a plain path parameter is neither.
    const list = document().paths['/folders']!.get!.responses as Responses;
    // Swagger's own success response stays on a route whose method declares nothing.
    expect(list['200']).toEqual({ description: '' });
    expect(Object.keys(list)).toEqual(['200', '400', '500']);
    expect(list['400']!.description).toBe('Bad Request: VALIDATION_ERROR');
    expect(
      list['400']!.content!['application/json']!.examples.ValidationFailedException!.value,
    ).toEqual({
      error: {
        message: 'Invalid request body',
        statusCode: 400,
        code: 'VALIDATION_ERROR',
        category: 'VALIDATION',
        details: [
          { path: 'items.0.name', message: 'name must be a string' },
          { path: 'age', message: 'age must be an integer number' },
        ],
      },
    });
    // A response the app declared itself stays as it is; the others are added beside it.
    const archive = document().paths['/folders/{id}/archive']!.post!.responses as Responses;
    expect(Object.keys(archive)).toEqual(['400', '413', '415', '500']);
    expect(archive['400']).toEqual({ description: 'The folder is not empty' });
    // Any route answers the generic 500 when something unexpected fails.
    expect(document().paths['/folders/{id}']!.get!.responses).toEqual({
      '200': { description: '' },
      '500': {
        description: 'Internal Server Error: InternalServerErrorException',
        headers: { 'X-Request-Id': REQUEST_ID },
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/EnvelopeErrorBody' },
            examples: {
              InternalServerErrorException: {
                summary: '500: Internal Server Error',
                value: {
                  error: {
                    message: 'Internal server error',
                    statusCode: 500,
                    code: 'INTERNAL_ERROR',
                    category: 'INTERNAL',
                  },
                },
              },
            },
          },
        },
      },
    });
  });

  it("shows the library README's excerpt of the document exactly", () => {
    const excerpts = [
      ...readFileSync(new URL('../libs/errors/README.md', import.meta.url), 'utf8').matchAll(
        /<!-- openapi: (\{.*?\}) -->\n\n```json\n(.*)\n```/g,
      ),
    ];
    expect(excerpts).toHaveLength(1);
    const shared = shareResponseHeaders(structuredClone(document()));
    for (const [, where, shown] of excerpts) {
      const { path, method, status } = JSON.parse(where!) as Record<string, string>;
      expect(
        JSON.stringify(
          (shared.paths[path!] as Record<string, { responses: Responses }>)[method!]!.responses[
            status!
          ],
        ),
      ).toBe(shown);
    }
  });

  it('shareResponseHeaders moves the headers into components.headers, one entry each', () => {
    const shared = shareResponseHeaders(structuredClone(document()));
    expect(shared.components!.headers).toEqual({
      'X-Request-Id': REQUEST_ID,
      'Retry-After': RETRY_AFTER,
    });
    expect(shared.paths['/files/{id}']!.get!.responses['429']).toMatchObject({
      headers: {
        'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
        'Retry-After': { $ref: '#/components/headers/Retry-After' },
      },
    });
    expect((shared.paths['/folders/{id}']!.put!.responses as Responses)['503']!.headers).toEqual({
      'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
    });
    // A header declared two ways stays inline, each way where it is.
    const twoWays = shareResponseHeaders({
      paths: {
        '/a': {
          get: { responses: { '400': { headers: { 'X-Trace': { schema: { type: 'string' } } } } } },
        },
        '/b': {
          get: {
            responses: { '400': { headers: { 'X-Trace': { schema: { type: 'integer' } } } } },
          },
        },
      },
    });
    expect(twoWays).toEqual({
      paths: {
        '/a': {
          get: { responses: { '400': { headers: { 'X-Trace': { schema: { type: 'string' } } } } } },
        },
        '/b': {
          get: {
            responses: { '400': { headers: { 'X-Trace': { schema: { type: 'integer' } } } } },
          },
        },
      },
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
  const document = openApiDocumentOf(adapter, RoutesOpenApiFixtureModule, (created) =>
    created.setGlobalPrefix('api'),
  );

  it("examples name the route's own path and fill template fields with a placeholder", () => {
    expect(document().paths['/api/apps/{provider}']!.get!.responses['404']).toEqual({
      description: 'Not Found: UNKNOWN_PROVIDER',
      headers: { 'X-Request-Id': REQUEST_ID },
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
    expect(document().paths['/api/apps/{provider}']!.get!.responses['401']).toEqual({
      description: 'Unauthorized: UnauthorizedException',
      headers: { 'X-Request-Id': REQUEST_ID, 'WWW-Authenticate': CHALLENGE },
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
    const response = document().paths['/api/v2/things/{id}']!.get!.responses['404'] as {
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
    expect(document().components!.schemas!.TracedErrorBody).toEqual(formatSchema('traced'));
    const responses = document().paths['/api/v2/things/{id}']!.get!.responses as Record<
      string,
      { description: string; content?: Record<string, { schema: unknown }> }
    >;
    expect(responses['200']).toEqual({ description: 'The thing' });
    expect(responses['401']!.content!['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/TracedErrorBody',
    });
  });
});

@Controller('sessions')
@ApiInternalServerErrorResponse({ description: 'Something broke' })
class SessionsController {
  @Get(':id')
  @ApiErrors(UnauthorizedException, RateLimitedException)
  get(@Param('id') id: string) {
    return { id };
  }
}

@Module({
  imports: [
    ErrorsModule.forRoot({
      wwwAuthenticate: false,
      requestId: { header: 'x-correlation-id' },
      validation: false,
    }),
  ],
  controllers: [SessionsController],
})
class HeadersOpenApiFixtureModule {}

describe.each(ADAPTERS)("ApiErrors' headers follow the module's settings on %s", (adapter) => {
  const document = openApiDocumentOf(adapter, HeadersOpenApiFixtureModule);

  it('the configured request id header, and no challenge with wwwAuthenticate: false', () => {
    const responses = document().paths['/sessions/{id}']!.get!.responses as Responses;
    expect(responses['401']!.headers).toEqual({ 'X-Correlation-Id': REQUEST_ID });
    expect(responses['429']!.headers).toEqual({
      'X-Correlation-Id': REQUEST_ID,
      'Retry-After': RETRY_AFTER,
    });
  });

  it("a controller's own response for a status the module adds stays", () => {
    expect(document().paths['/sessions/{id}']!.get!.responses['500']).toEqual({
      description: 'Something broke',
    });
  });
});

@Controller('uploads')
class UploadsController {
  // Multipart only: the upload parser's refusals, not the JSON parser's.
  @Post('avatar')
  @ApiConsumes('multipart/form-data')
  avatar(@UploadedFile() file: unknown) {
    return { file: file !== undefined };
  }

  // Either: both parsers' refusals, and ParseFilePipe's.
  @Put(':id/attachment')
  @ApiConsumes('multipart/form-data', 'application/json')
  attach(@Param('id', ParseUUIDPipe) id: string, @UploadedFile(ParseFilePipe) file: unknown) {
    return { id, file: file !== undefined };
  }

  // A file parameter without @ApiConsumes: multipart too, besides the JSON swagger assumes.
  @Post('import')
  import(@UploadedFile() file: unknown) {
    return { file: file !== undefined };
  }

  @Get('pages/:page')
  page(
    @Param('page', ParseIntPipe) page: number,
    @Query('owner', new ParseUUIDPipe({ version: '4' })) owner: string,
    @Query('archived', new ParseBoolPipe({ errorHttpStatusCode: 422 })) archived: boolean,
  ) {
    return { page, owner, archived };
  }
}

@Module({
  imports: [ErrorsModule.forRoot({ format: 'problem' })],
  controllers: [UploadsController],
})
class InputOpenApiFixtureModule {}

describe.each(ADAPTERS)('what multipart routes and parse pipes answer, on %s', (adapter) => {
  const document = openApiDocumentOf(adapter, InputOpenApiFixtureModule);
  const responsesOf = (path: string, method: 'get' | 'post' | 'put') =>
    document().paths[path]![method]!.responses as Responses;
  /** Each status's description and its examples' values, as a route declares them. */
  const examplesOf = (path: string, method: 'get' | 'post' | 'put') =>
    Object.fromEntries(
      Object.entries(responsesOf(path, method)).map(([status, response]) => [
        status,
        {
          description: response.description,
          examples: Object.fromEntries(
            Object.entries(response.content?.['application/problem+json']?.examples ?? {}).map(
              ([name, example]) => [name, example.value],
            ),
          ),
        },
      ]),
    );
  const problem = (status: number, title: string, detail: string, instance: string) => ({
    type: 'about:blank',
    title,
    status,
    detail,
    instance,
    requestId: '5b0f1c9e-8d4f-4a8e-9a51-0c2d6f3b7e11',
  });

  it('a multipart route documents what the upload parser answers, not the JSON parser', () => {
    const at = (status: number, title: string, detail: string) =>
      problem(status, title, detail, '/uploads/avatar');
    expect(examplesOf('/uploads/avatar', 'post')).toEqual({
      '201': { description: '', examples: {} },
      '400': {
        description:
          'Bad Request: a malformed multipart body, a file in a field the route does not take',
        examples: {
          MalformedMultipart: at(400, 'Bad Request', 'Malformed multipart body'),
          UnexpectedFileField: at(400, 'Bad Request', 'Unexpected file field'),
        },
      },
      '413': {
        description: 'Payload Too Large: a file over the size limit',
        examples: { FileTooLarge: at(413, 'Payload Too Large', 'File too large') },
      },
      '415': {
        description: 'Unsupported Media Type: a media type, charset or encoding no parser takes',
        examples: {
          UnsupportedMediaType: at(415, 'Unsupported Media Type', 'Unsupported media type'),
        },
      },
      '500': {
        description: 'Internal Server Error: InternalServerErrorException',
        examples: {
          InternalServerErrorException: at(500, 'Internal Server Error', 'Internal server error'),
        },
      },
    });
  });

  it('a route consuming multipart or JSON documents both parsers, and its pipes', () => {
    const responses = examplesOf('/uploads/{id}/attachment', 'put');
    expect(Object.keys(responses)).toEqual(['200', '400', '413', '415', '500']);
    expect(responses['400']!.description).toBe(
      'Bad Request: ParseUUIDPipe, ParseFilePipe, malformed JSON, a malformed multipart body, a file in a field the route does not take',
    );
    expect(responses['400']!.examples).toMatchObject({
      ParseUUIDPipe: { detail: 'Validation failed (uuid is expected)' },
      ParseFilePipe: { detail: 'File is required' },
    });
    expect(Object.keys(responses['413']!.examples)).toEqual(['BodyTooLarge', 'FileTooLarge']);
    // Without @ApiConsumes, a file parameter adds the upload parser's to swagger's JSON.
    expect(Object.keys(examplesOf('/uploads/import', 'post')['413']!.examples)).toEqual([
      'BodyTooLarge',
      'FileTooLarge',
    ]);
  });

  it("a parameter Nest's parse pipes refuse: their status and words, with the pipe's options", () => {
    const at = (status: number, title: string, detail: string) =>
      problem(status, title, detail, '/uploads/pages/{page}');
    expect(examplesOf('/uploads/pages/{page}', 'get')).toMatchObject({
      '400': {
        description: 'Bad Request: ParseIntPipe, ParseUUIDPipe',
        examples: {
          ParseIntPipe: at(400, 'Bad Request', 'Validation failed (numeric string is expected)'),
          ParseUUIDPipe: at(400, 'Bad Request', 'Validation failed (uuid v 4 is expected)'),
        },
      },
      '422': {
        description: 'Unprocessable Entity: ParseBoolPipe',
        examples: {
          ParseBoolPipe: at(
            422,
            'Unprocessable Entity',
            'Validation failed (boolean string is expected)',
          ),
        },
      },
    });
    expect(Object.keys(responsesOf('/uploads/pages/{page}', 'get'))).toEqual([
      '200',
      '400',
      '422',
      '500',
    ]);
  });
});
