import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBase64, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';

/**
 * `POST /api/v1/files`: upload a file produced by a running flow execution, as
 * `multipart/form-data` (the file in `file`, these fields beside it) or as JSON with the content in
 * `content_base64`. Exactly one of the two carries the content (see `FilesController.upload`).
 */
export class UploadFileDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4')
  flow_execution_id!: string;

  @ApiProperty({ minLength: 1, maxLength: 255, example: 'report.pdf' })
  @IsString()
  @Length(1, 255)
  name!: string;

  @ApiPropertyOptional({
    format: 'byte',
    maxLength: 1_000_000,
    description: 'The content, base64, when the file is not sent as multipart/form-data',
  })
  @IsOptional()
  @IsBase64()
  @MaxLength(1_000_000)
  content_base64?: string;
}

/** `POST /api/v1/files/:id/attach`: attach an entry to a parent entry. */
export class AttachFileDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4')
  parent_id!: string;
}

/** `GET /api/v1/files/:id/data?type=form`: read a data block of the expected type. */
export class DataBlockQueryDto {
  @ApiPropertyOptional({ maxLength: 64, example: 'form' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  type?: string;
}
