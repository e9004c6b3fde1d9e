import {
  BadRequestException,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  PayloadTooLargeException,
  Post,
  Query,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
} from '@nestjs/swagger';
import {
  ApiErrors,
  EntryAlreadyAttachedException,
  EntryDeletedException,
  EntryIsNotABinaryException,
  EntryIsNotADataBlockException,
  EntryIsWrongTypeOfDataBlockException,
  EntryNotFoundException,
  InvalidFlowExecutionException,
  PresignedUrlGenerationFailedException,
  UploadFailedException,
  ValidationFailedException,
} from 'nest-api-errors';
import {
  FileUploadInterceptor,
  type UploadedFileContent,
} from '../../common/file-upload.interceptor.js';
import { JsonBody } from '../../common/json-body.decorator.js';
import { CurrentPrincipal, PlatformApi } from '../auth/bearer-auth.guard.js';
import type { Principal, VaultEntry } from '../data/platform.store.js';
import { AttachFileDto, DataBlockQueryDto, UploadFileDto } from './files.dto.js';
import { FilesService } from './files.service.js';

function toResponse(entry: VaultEntry) {
  return {
    id: entry.id,
    name: entry.name,
    kind: entry.kind,
    parent_id: entry.parentId ?? null,
  };
}

const uuid = new ParseUUIDPipe();

/**
 * What a multipart upload may carry: one file of up to 1 MiB (a larger one is a 413), in `file`,
 * and the two text fields of `UploadFileDto`; names of at most 100 bytes. Anything over these is a
 * 400 (`Too many files`, `Unexpected file field`, …), answered by ErrorsModule without the field's
 * name. `parts` is one over files and fields, so that the limit a client crosses is the one named
 * (busboy and @fastify/busboy count in different orders); it bounds the empty file inputs, which
 * neither counts.
 */
export const UPLOAD_LIMITS = {
  fileSize: 1024 * 1024,
  files: 1,
  fields: 2,
  parts: 4,
  fieldNameSize: 100,
} as const;

/**
 * The bytes of an upload: the multipart file, or a JSON upload's `content_base64`. Exactly one of
 * them: neither, or both, is a validation failure of the body.
 */
function uploadedContent(body: UploadFileDto, file: UploadedFileContent | undefined): Buffer {
  if ((file === undefined) === (body.content_base64 === undefined)) {
    throw new ValidationFailedException({
      details: [
        {
          path: 'file',
          message: 'send the content either as a multipart file or as content_base64',
          rule: 'uploadContent',
          location: 'body',
        },
      ],
    });
  }
  return file?.buffer ?? Buffer.from(body.content_base64!, 'base64');
}

/** What every route reading one entry can answer: ParseUUIDPipe's 400, FilesService.get's 404s. */
const ENTRY_ERRORS = [BadRequestException, EntryNotFoundException, EntryDeletedException] as const;

/** `/api/v1/files`: vault files (README § `/api/v1`, timestamped errors). */
@Controller('api/v1/files')
@PlatformApi()
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Get()
  @ApiOperation({ summary: "The organization's files, without the deleted ones" })
  @ApiOkResponse({ description: 'The files' })
  list(@CurrentPrincipal() principal: Principal) {
    return this.files.list(principal).map(toResponse);
  }

  @Post()
  @UseInterceptors(FileUploadInterceptor('file', UPLOAD_LIMITS))
  @ApiOperation({ summary: 'Upload a file produced by a running flow execution' })
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['flow_execution_id', 'name'],
      properties: {
        flow_execution_id: { type: 'string', format: 'uuid' },
        name: { type: 'string', minLength: 1, maxLength: 255 },
        file: { type: 'string', format: 'binary', description: 'multipart: the content' },
        content_base64: { type: 'string', format: 'byte', description: 'JSON: the content' },
      },
    },
  })
  @ApiErrors(
    ValidationFailedException,
    PayloadTooLargeException,
    InvalidFlowExecutionException,
    UploadFailedException,
  )
  @ApiCreatedResponse({ description: 'The file' })
  async upload(
    @CurrentPrincipal() principal: Principal,
    @JsonBody() body: UploadFileDto,
    @UploadedFile() file: UploadedFileContent | undefined,
  ) {
    return toResponse(await this.files.upload(principal, body, uploadedContent(body, file)));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A file' })
  @ApiErrors(...ENTRY_ERRORS)
  @ApiOkResponse({ description: 'The file' })
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return toResponse(this.files.get(principal, id));
  }

  @Get(':id/download')
  @ApiOperation({ summary: "A presigned download URL for a binary file's content" })
  @ApiErrors(...ENTRY_ERRORS, EntryIsNotABinaryException, PresignedUrlGenerationFailedException)
  @ApiOkResponse({ description: 'The download URL' })
  async download(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return { url: await this.files.downloadUrl(principal, id) };
  }

  @Get(':id/data')
  @ApiOperation({ summary: "A data block's content, optionally checked against its type" })
  @ApiQuery({
    name: 'type',
    type: String,
    required: false,
    description: 'The data block type expected',
  })
  @ApiErrors(
    ...ENTRY_ERRORS,
    ValidationFailedException,
    EntryIsNotADataBlockException,
    EntryIsWrongTypeOfDataBlockException,
  )
  @ApiOkResponse({ description: 'The data block' })
  data(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Query() query: DataBlockQueryDto,
  ) {
    const entry = this.files.dataBlock(principal, id, query.type);
    return {
      id: entry.id,
      type: entry.dataBlockType,
      content: JSON.parse(entry.content) as unknown,
    };
  }

  @Post(':id/attach')
  @HttpCode(200)
  @ApiOperation({ summary: 'Attach a file to a parent file' })
  @ApiErrors(...ENTRY_ERRORS, ValidationFailedException, EntryAlreadyAttachedException)
  @ApiOkResponse({ description: 'The attached file' })
  attach(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @JsonBody() body: AttachFileDto,
  ) {
    return toResponse(this.files.attach(principal, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a file' })
  @ApiErrors(...ENTRY_ERRORS)
  @ApiNoContentResponse({ description: 'Deleted' })
  delete(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): void {
    this.files.delete(principal, id);
  }
}
