import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import {
  ForbiddenException,
  Injectable,
  Module,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import {
  Args,
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

/** Demo credentials of `/graphql` (reference-docs/001), printed at start-up. */
export const GRAPHQL_DEMO = { apiKey: 'demo-graphql-key', projectId: 'prj_demo' } as const;

/** Flow runs one API key may start per minute. */
export const RUNS_PER_MINUTE = 5;

@ObjectType()
export class Flow {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  projectId!: string;
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

@InputType()
export class RunFlowInput {
  @Field(() => ID)
  @IsString()
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

interface GraphQLRequestContext {
  req?: { headers?: Record<string, string | string[] | undefined> };
}

/** Flows per project, and the run budget per API key. */
@Injectable()
export class FlowsService {
  private readonly flows = new Map<string, Flow>([
    [
      'flw_onboarding',
      { id: 'flw_onboarding', name: 'Onboarding', projectId: GRAPHQL_DEMO.projectId },
    ],
    ['flw_billing', { id: 'flw_billing', name: 'Billing', projectId: 'prj_other' }],
  ]);
  private readonly runs = new Map<string, number[]>();

  /** 001: a Bearer API key, and an x-project-id that owns what is asked for. */
  authorize(context: GraphQLRequestContext): string {
    const headers = context.req?.headers ?? {};
    const authorization = headers.authorization;
    if (authorization !== `Bearer ${GRAPHQL_DEMO.apiKey}`) {
      throw new UnauthorizedException('Missing or invalid API key');
    }
    const project = headers['x-project-id'];
    return typeof project === 'string' ? project : '';
  }

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
    const recent = (this.runs.get(GRAPHQL_DEMO.apiKey) ?? []).filter((at) => now - at < 60_000);
    if (recent.length >= RUNS_PER_MINUTE) {
      throw new RateLimitedException({
        retryAfterSeconds: Math.ceil((recent[0]! + 60_000 - now) / 1000),
      });
    }
    this.runs.set(GRAPHQL_DEMO.apiKey, [...recent, now]);
    return { id: `run_${now}_${recent.length}`, flowId: flow.id, status: 'queued' };
  }
}

@Resolver(() => Flow)
export class FlowsResolver {
  constructor(private readonly service: FlowsService) {}

  @Query(() => [Flow])
  flows(@Context() context: GraphQLRequestContext): Flow[] {
    return this.service.list(this.service.authorize(context));
  }

  @Query(() => Flow, { nullable: true })
  flow(
    @Args('id', { type: () => ID }) id: string,
    @Context() context: GraphQLRequestContext,
  ): Flow {
    return this.service.flow(this.service.authorize(context), id);
  }

  @Mutation(() => FlowRun)
  runFlow(@Args('input') input: RunFlowInput, @Context() context: GraphQLRequestContext): FlowRun {
    return this.service.run(this.service.authorize(context), input);
  }
}

/** `/graphql`: the GraphQL flow API of reference-docs/001 (errors in `extensions`, HTTP 200). */
@Module({
  imports: [
    GraphQLModule.forRoot<ApolloDriverConfig>({
      driver: ApolloDriver,
      autoSchemaFile: true,
      path: '/graphql',
      formatError: formatGraphQLError,
    }),
  ],
  providers: [FlowsService, FlowsResolver],
})
export class FlowsGraphQLModule {}
