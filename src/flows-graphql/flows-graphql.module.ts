import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { formatGraphQLError } from 'nest-api-errors';
import { BoundedDocumentStore } from './document-store.js';
import { FlowsGraphQLStore } from './flows-graphql.store.js';
import { FlowsResolver } from './flows.resolver.js';
import { FlowsService } from './flows.service.js';
import {
  DEFAULT_GRAPHQL_RATE_LIMIT,
  GRAPHQL_ACCESS_ROUTES,
  GRAPHQL_RATE_LIMIT,
  GraphQLAccessMiddleware,
  checkGraphQLAccessAfterBody,
} from './graphql-access.middleware.js';
import { QUERY_LIMITS, queryLimitsRule } from './query-limits.js';

/**
 * `/graphql`: the GraphQL flow API (README § `/graphql`). Request-level checks (API key, project,
 * rate) run in `GraphQLAccessMiddleware` before GraphQL, with their HTTP status; documents over
 * `QUERY_LIMITS` are refused before execution (400); resolver errors are per field (HTTP 200).
 */
@Module({
  imports: [
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      // A factory, so that each app gets its own document store.
      useFactory: (): ApolloDriverConfig => ({
        autoSchemaFile: true,
        path: '/graphql',
        formatError: formatGraphQLError,
        // An API, not a playground: GET serves queries (GraphQL over HTTP), not a landing page.
        graphiql: false,
        parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
        validationRules: [queryLimitsRule(QUERY_LIMITS)],
        // Every request that reaches Apollo carries `Authorization` (the middleware refused the
        // rest): a header no cross-site form or image can send without a CORS preflight.
        csrfPrevention: {
          requestHeaders: ['authorization', 'x-apollo-operation-name', 'apollo-require-preflight'],
        },
        // Parsed documents are cached by the heap they keep, not by Apollo's JSON-size estimate:
        // with Apollo's default, distinct documents padded with a comment grew the heap without
        // bound.
        documentStore: new BoundedDocumentStore(),
      }),
    }),
  ],
  providers: [
    FlowsGraphQLStore,
    FlowsService,
    FlowsResolver,
    GraphQLAccessMiddleware,
    { provide: GRAPHQL_RATE_LIMIT, useValue: DEFAULT_GRAPHQL_RATE_LIMIT },
  ],
})
export class FlowsGraphQLModule implements NestModule {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly access: GraphQLAccessMiddleware,
  ) {}

  /** After the body is read, on both platforms (see `checkGraphQLAccessAfterBody`). */
  configure(consumer: MiddlewareConsumer): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter.getType() === 'fastify') {
      checkGraphQLAccessAfterBody(adapter.getInstance(), this.access);
      return;
    }
    consumer
      .apply(GraphQLAccessMiddleware)
      .forRoutes(...GRAPHQL_ACCESS_ROUTES.map((path) => ({ path, method: RequestMethod.ALL })));
  }
}
