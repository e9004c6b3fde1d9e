import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

/** `POST /api/v1/flows`. */
export class CreateFlowDto {
  @ApiProperty({ minLength: 1, maxLength: 120, example: 'Onboarding' })
  @IsString()
  @Length(1, 120)
  name!: string;
}
