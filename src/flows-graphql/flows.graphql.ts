import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import {
  ForbiddenException,
  Injectable,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  NotFoundException,
  RequestMethod,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  Args,
  ArgsType,
  Context,
  Field,
  GraphQLModule,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
} from '@nestjs/graphql';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { RateLimitedException, formatGraphQLError } from 'nest-api-errors';
import {
  DEFAULT_GRAPHQL_RATE_LIMIT,
  GRAPHQL_ACCESS_ROUTES,
  GRAPHQL_DEMO,
  GRAPHQL_RATE_LIMIT,
  GraphQLAccessMiddleware,
  checkGraphQLAccessAfterBody,
} from './graphql-access.middleware.js';
import { BoundedDocumentStore } from './document-store.js';
import { QUERY_LIMITS, queryLimitsRule } from './query-limits.js';

export { GRAPHQL_DEMO, GRAPHQL_RATE_LIMIT } from './graphql-access.middleware.js';

/** Flow runs one project may start per minute: a 429 for that field only (HTTP 200). */
export const RUNS_PER_MINUTE = 5;

@ObjectType()
export class Flow {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  projectId!: string;

  @Field(() => [FlowRun])
  runs!: FlowRun[];

  /** Flows that must have run before this one: a graph, so a query can nest without end. */
  @Field(() => [Flow])
  dependsOn!: Flow[];
}

@ObjectType()
export class FlowRun {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  flowId!: string;

  @Field(() => String)
  status!: string;
}

@ArgsType()
export class FlowArgs {
  @Field(() => ID)
  @IsString()
  @Length(1, 64)
  id!: string;
}

@InputType()
export class RunFlowInput {
  @Field(() => ID)
  @IsString()
  @Length(1, 64)
  flowId!: string;

  @Field(() => String)
  @IsIn(['en', 'de', 'fr'])
  locale!: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  priority?: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  note?: string;
}

/** The GraphQL context: the request, already checked by `GraphQLAccessMiddleware`. */
interface GraphQLRequestContext {
  req: { headers: Record<string, string | string[] | undefined> };
}

/** The project the middleware accepted for this request. */
function projectOf(context: GraphQLRequestContext): string {
  return context.req.headers['x-project-id'] as string;
}

/** Flows per project with their runs, and the run budget per project. */
@Injectable()
export class FlowsService {
  private readonly flows = new Map<string, Flow>(
    [
      { id: 'flw_onboarding', name: 'Onboarding', projectId: GRAPHQL_DEMO.projectId },
      { id: 'flw_billing', name: 'Billing', projectId: 'prj_other' },
    ].map((flow) => [flow.id, { ...flow, runs: [], dependsOn: [] }]),
  );
  private readonly runTimes = new Map<string, number[]>();

  flow(projectId: string, id: string): Flow {
    const flow = this.flows.get(id);
    if (flow === undefined) {
      throw new NotFoundException('Flow not found');
    }
    if (flow.projectId !== projectId) {
      throw new ForbiddenException('No permission for this project or Flow');
    }
    return flow;
  }

  list(projectId: string): Flow[] {
    return [...this.flows.values()].filter((flow) => flow.projectId === projectId);
  }

  run(projectId: string, input: RunFlowInput): FlowRun {
    const flow = this.flow(projectId, input.flowId);
    const now = Date.now();
    const recent = (this.runTimes.get(projectId) ?? []).filter((at) => now - at < 60_000);
    if (recent.length >= RUNS_PER_MINUTE) {
      throw new RateLimitedException({
        retryAfterSeconds: Math.ceil((recent[0]! + 60_000 - now) / 1000),
      });
    }
    this.runTimes.set(projectId, [...recent, now]);
    const run = { id: `run_${now}_${recent.length}`, flowId: flow.id, status: 'queued' };
    flow.runs.push(run);
    return run;
  }
}

@Resolver(() => Flow)
export class FlowsResolver {
  constructor(private readonly service: FlowsService) {}

  @Query(() => [Flow])
  flows(@Context() context: GraphQLRequestContext): Flow[] {
    return this.service.list(projectOf(context));
  }

  @Query(() => Flow, { nullable: true })
  flow(@Args() args: FlowArgs, @Context() context: GraphQLRequestContext): Flow {
    return this.service.flow(projectOf(context), args.id);
  }

  @Mutation(() => FlowRun)
  runFlow(@Args('input') input: RunFlowInput, @Context() context: GraphQLRequestContext): FlowRun {
    return this.service.run(projectOf(context), input);
  }
}

/**
 * `/graphql`: the GraphQL flow API of reference-docs/001. Request-level checks (API key, project,
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
        // Parsed documents are cached by the heap they keep, not Apollo's JSON-size estimate
        // (issue 15, item 7: padded documents grew the heap without bound).
        documentStore: new BoundedDocumentStore(),
      }),
    }),
  ],
  providers: [
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
