import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsString, Length } from 'class-validator';

/** `flow(id: …)`. */
@ArgsType()
export class FlowArgs {
  @Field(() => ID)
  @IsString()
  @Length(1, 64)
  id!: string;
}
