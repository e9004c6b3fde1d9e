import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { shareResponseHeaders } from 'nest-api-errors';

/** Where the reference app serves its OpenAPI document and the Swagger UI that shows it. */
export const OPENAPI_JSON_PATH = '/openapi.json';
export const SWAGGER_UI_PATH = '/docs/api';

/** The security schemes of the documented APIs, by the names controllers refer to them. */
export const SECURITY = {
  /** `/api/v1`: an organization's OAuth token. */
  platformToken: 'platform-token',
  /** `/api`: the agents platform's API key, sent as a bearer token. */
  agentsApiKey: 'agents-api-key',
  /** `/v2`: the access token `POST /v2/auth/exchange` issues. */
  identityToken: 'identity-access-token',
  /** `/api/sdk`: the customer's SDK key in `X-API-Key`. */
  sdkApiKey: 'sdk-api-key',
  /** `/api/dashboard`: the login's JWT, as `Authorization: Bearer` … */
  dashboardBearer: 'dashboard-jwt',
  /** … or in the `access_token` cookie. */
  dashboardCookie: 'dashboard-jwt-cookie',
} as const;

/** One tag per documented API, in the order the document lists them. */
export const TAGS = {
  platform: 'platform',
  identity: 'identity',
  agents: 'agents',
  sdk: 'sdk',
  health: 'health',
  dashboard: 'dashboard',
  docs: 'docs',
} as const;

/** The document's metadata: everything the controllers' decorators do not say. */
function documentConfig(): Omit<OpenAPIObject, 'paths'> {
  return new DocumentBuilder()
    .setTitle('nest-api-errors reference app')
    .setDescription(
      'Five documented APIs served side by side, each with its own error format (see ' +
        'components.schemas): /api/v1 timestamped, /v2 traced, /api simple, /api/sdk, ' +
        '/api/health and /api/dashboard envelope. Every error ' +
        'response a route can answer is declared with its format body and one example per error. ' +
        'The GraphQL API at /graphql is not part of this document.',
    )
    .setVersion('0.1.0')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    .addServer('http://127.0.0.1:3000', '`npm start` (PORT and HOST change it)')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'Organization OAuth token (/api/v1)' },
      SECURITY.platformToken,
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'Agents platform API key (/api)' },
      SECURITY.agentsApiKey,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description: 'Access token from POST /v2/auth/exchange (/v2)',
      },
      SECURITY.identityToken,
    )
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'SDK key (/api/sdk)' },
      SECURITY.sdkApiKey,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'Dashboard JWT from POST /api/dashboard/auth/login',
      },
      SECURITY.dashboardBearer,
    )
    .addCookieAuth(
      'access_token',
      {
        type: 'apiKey',
        in: 'cookie',
        description: 'The same dashboard JWT in the access_token cookie',
      },
      SECURITY.dashboardCookie,
    )
    .addTag(TAGS.platform, 'Sessions, flows and vault files: /api/v1')
    .addTag(TAGS.identity, 'Token exchange and service accounts: /v2')
    .addTag(TAGS.agents, 'Agents, secrets, rules, apps and the user: /api')
    .addTag(TAGS.sdk, 'The product-tours SDK: /api/sdk')
    .addTag(TAGS.health, 'Health check through @nestjs/terminus: /api/health')
    .addTag(TAGS.dashboard, 'The product-tours dashboard: /api/dashboard')
    .addTag(TAGS.docs, 'The generated error reference')
    .build();
}

/**
 * `GET /openapi.json` and the Swagger UI at `/docs/api`. The document is built on its first
 * request, once the application (its error formats, its global prefix) is complete; the headers
 * every error response declares (`X-Request-Id`, `Retry-After`, `WWW-Authenticate`) are then
 * shared `components.headers` entries.
 */
export function serveOpenApi(app: INestApplication): void {
  let document: OpenAPIObject | undefined;
  SwaggerModule.setup(
    SWAGGER_UI_PATH,
    app,
    () => (document ??= shareResponseHeaders(SwaggerModule.createDocument(app, documentConfig()))),
    { jsonDocumentUrl: OPENAPI_JSON_PATH, raw: ['json'] },
  );
}
