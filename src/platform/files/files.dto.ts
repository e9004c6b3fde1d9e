import { IsBase64, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';

/**
 * `POST /api/v1/files`: upload a file produced by a running flow execution, as
 * `multipart/form-data` (the file in `file`, these fields beside it) or as JSON with the content in
 * `content_base64`. Exactly one of the two carries the content (see `FilesController.upload`).
 */
export class UploadFileDto {
  @IsUUID('4')
  flow_execution_id!: string;

  @IsString()
  @Length(1, 255)
  name!: string;

  @IsOptional()
  @IsBase64()
  @MaxLength(1_000_000)
  content_base64?: string;
}

/** `POST /api/v1/files/:id/attach`: attach an entry to a parent entry. */
export class AttachFileDto {
  @IsUUID('4')
  parent_id!: string;
}

/** `GET /api/v1/files/:id/data?type=form`: read a data block of the expected type. */
export class DataBlockQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(64)
  type?: string;
}
