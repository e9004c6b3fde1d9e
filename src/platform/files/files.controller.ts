import {
  BadRequestException,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import {
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
  @ApiOperation({ summary: 'Upload a file produced by a running flow execution' })
  @ApiErrors(ValidationFailedException, InvalidFlowExecutionException, UploadFailedException)
  @ApiCreatedResponse({ description: 'The file' })
  async upload(@CurrentPrincipal() principal: Principal, @JsonBody() body: UploadFileDto) {
    return toResponse(await this.files.upload(principal, body));
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
