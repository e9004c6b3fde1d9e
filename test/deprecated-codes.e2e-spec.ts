import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { errorCatalog, renderErrorReference } from 'nest-api-errors';
import request from 'supertest';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderErrorTypes } from '../libs/errors/src/docs/error-types.renderer.js';
import {
  FlowArchivedException,
  FlowLockedException,
  governanceFixtureModule,
} from './fixtures/governance-fixture.js';
import { ADAPTERS, createTestApp } from './support/test-app.js';

// `define({ …, deprecated })`: the code is marked everywhere it is documented (catalog, reference,
// types, OpenAPI), and its error answers exactly as before.

describe.each(ADAPTERS)('a deprecated code on %s', (adapter) => {
  let app: INestApplication;

  beforeAll(async () => {
    ({ app } = await createTestApp(adapter, { imports: [governanceFixtureModule()] }));
  });
  afterAll(() => app.close());

  it('answers exactly as before: same status, headers and body', async () => {
    const response = await request(app.getHttpServer())
      .get('/flows/flw_1')
      .set('X-Request-Id', 'req-1');
    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['x-request-id']).toBe('req-1');
    expect(response.headers.deprecation).toBeUndefined();
    expect(JSON.parse(response.text)).toEqual({
      statusCode: 409,
      timestamp: expect.any(String),
      path: '/flows/flw_1',
      message: 'Flow flw_1 is locked by another editor',
      code: 'FLOW_LOCKED',
    });
  });

  it("OpenAPI: the response's description and the example's summary say it (responses have no deprecated flag)", () => {
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    const response = document.paths['/flows/{id}']!.get!.responses['409'] as {
      description: string;
      content: Record<string, { examples: Record<string, { summary: string }> }>;
    };
    expect(response.description).toBe(
      'Conflict: FLOW_LOCKED (deprecated: use FLOW_ARCHIVED), FLOW_ARCHIVED',
    );
    const examples = response.content['application/json']!.examples;
    expect(examples.FlowLockedException!.summary).toBe(
      'FLOW_LOCKED: Flow {flowId} is locked by another editor (deprecated: use FLOW_ARCHIVED)',
    );
    expect(examples.FlowArchivedException!.summary).toBe(
      'FLOW_ARCHIVED: Flow {flowId} is archived',
    );
  });
});

describe('a deprecated code in the documents made from the catalog', () => {
  it('errorCatalog() entries and the reference carry the note', () => {
    const [locked, archived] = errorCatalog([FlowLockedException, FlowArchivedException]).slice(-2);
    expect([locked!.deprecated, archived!.deprecated]).toEqual(['use FLOW_ARCHIVED', undefined]);
    expect(renderErrorReference({ classes: [FlowLockedException], domains: [] })).toContain(
      '| <a id="FLOW_LOCKED"></a>`FLOW_LOCKED` | 409 | Flow {flowId} is locked by another editor — **Deprecated:** use FLOW_ARCHIVED | No |',
    );
  });

  it("types: a client's editor strikes the deprecated body through, and only that one", () => {
    const { declarations } = renderErrorTypes('envelope', [
      FlowLockedException,
      FlowArchivedException,
    ]);
    expect(declarations).toContain(
      '/**\n * `FLOW_LOCKED` (409): Flow {flowId} is locked by another editor\n * @deprecated use FLOW_ARCHIVED\n */\nexport interface FlowLockedErrorBody {',
    );
    expect(declarations).toContain(
      '  /** @deprecated use FLOW_ARCHIVED */\n  "FLOW_LOCKED": FlowLockedErrorBody;\n  "FLOW_ARCHIVED": FlowArchivedErrorBody;',
    );
    // What TypeScript's language service tells an editor about a client using both bodies.
    const files: Record<string, string> = {
      '/errors.d.ts': declarations,
      '/client.ts': [
        "import type { FlowArchivedErrorBody, FlowLockedErrorBody } from './errors.js';",
        'export const read = (a: FlowLockedErrorBody, b: FlowArchivedErrorBody) => [a, b];',
      ].join('\n'),
    };
    const service = ts.createLanguageService({
      getCompilationSettings: () => ({
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        strict: true,
        types: [],
      }),
      getScriptFileNames: () => Object.keys(files),
      getScriptVersion: () => '1',
      getScriptSnapshot: (name) =>
        files[name] === undefined ? undefined : ts.ScriptSnapshot.fromString(files[name]),
      getCurrentDirectory: () => '/',
      getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
      fileExists: (name) => files[name] !== undefined || ts.sys.fileExists(name),
      readFile: (name) => files[name] ?? ts.sys.readFile(name),
    });
    expect(service.getSemanticDiagnostics('/client.ts')).toEqual([]);
    expect(
      service
        .getSuggestionDiagnostics('/client.ts')
        .filter((diagnostic) => diagnostic.reportsDeprecated)
        .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')),
    ).toEqual(["'FlowLockedErrorBody' is deprecated.", "'FlowLockedErrorBody' is deprecated."]);
  });
});
