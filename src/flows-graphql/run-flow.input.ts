import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/**
 * `runFlow(input: …)`. GraphQL checks the types; class-validator the rest (the locales, the
 * priority's range), whose failures are the field's `VALIDATION_ERROR` with `details`.
 */
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
