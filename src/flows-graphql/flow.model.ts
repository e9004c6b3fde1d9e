import { Field, ID, ObjectType } from '@nestjs/graphql';

// Flow before FlowRun: the schema lists types in the order their classes are declared.

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

/** One run of a flow, as `runFlow` queues it. */
@ObjectType()
export class FlowRun {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  flowId!: string;

  @Field(() => String)
  status!: string;
}
