import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { FlowArgs } from './flow.args.js';
import { Flow, FlowRun } from './flow.model.js';
import { FlowsService } from './flows.service.js';
import { RunFlowInput } from './run-flow.input.js';

/** The GraphQL context: the request, already checked by `GraphQLAccessMiddleware`. */
interface GraphQLRequestContext {
  req: { headers: Record<string, string | string[] | undefined> };
}

/** The project the middleware accepted for this request. */
function projectOf(context: GraphQLRequestContext): string {
  return context.req.headers['x-project-id'] as string;
}

/** Maps the GraphQL operations to `FlowsService`, for the project of the request. */
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
