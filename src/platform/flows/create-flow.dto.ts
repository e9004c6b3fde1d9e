import { IsString, Length } from 'class-validator';

/** `POST /api/v1/flows`. */
export class CreateFlowDto {
  @IsString()
  @Length(1, 120)
  name!: string;
}
