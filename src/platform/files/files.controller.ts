import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { JsonBody } from '../../common/json-body.decorator.js';
import { BearerAuthGuard, CurrentPrincipal } from '../auth/bearer-auth.guard.js';
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

/** Vault files (reference-docs/000 "File errors", timestamped). */
@Controller('api/v1/files')
@UseGuards(BearerAuthGuard)
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return this.files.list(principal).map(toResponse);
  }

  @Post()
  async upload(@CurrentPrincipal() principal: Principal, @JsonBody() body: UploadFileDto) {
    return toResponse(await this.files.upload(principal, body));
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return toResponse(this.files.get(principal, id));
  }

  @Get(':id/download')
  async download(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return { url: await this.files.downloadUrl(principal, id) };
  }

  @Get(':id/data')
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
  attach(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @JsonBody() body: AttachFileDto,
  ) {
    return toResponse(this.files.attach(principal, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): void {
    this.files.delete(principal, id);
  }
}
