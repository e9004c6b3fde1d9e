import {
  BadRequestException,
  Controller,
  Get,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import {
  ApiErrors,
  InvalidClientException,
  RedirectNotAllowedException,
  UnauthorizedAccessException,
  ValidationFailedException,
  VaultEntryDeletedException,
  VaultEntryNotFoundException,
} from 'nest-api-errors';
import { JsonBody } from '../../common/json-body.decorator.js';
import { CurrentPrincipal, PlatformApi } from '../auth/bearer-auth.guard.js';
import type { Principal, Session } from '../data/platform.store.js';
import { CreateSessionDto } from './create-session.dto.js';
import { SessionsService } from './sessions.service.js';

function toResponse(session: Session) {
  return {
    id: session.id,
    client_id: session.clientId,
    environment: session.environment,
    redirect_url: session.redirectUrl,
    vault_entry_ids: session.vaultEntryIds,
    created_at: session.createdAt,
  };
}

/** `/api/v1/sessions`: hosted sessions (README § `/api/v1`, timestamped errors). */
@Controller('api/v1/sessions')
@PlatformApi()
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @ApiOperation({ summary: "The organization's sessions in the token's environment" })
  @ApiOkResponse({ description: 'The sessions' })
  list(@CurrentPrincipal() principal: Principal) {
    return this.sessions.list(principal).map(toResponse);
  }

  @Post()
  @ApiOperation({ summary: 'Start a hosted session for an OAuth client' })
  @ApiErrors(
    ValidationFailedException,
    InvalidClientException,
    RedirectNotAllowedException,
    VaultEntryNotFoundException,
    VaultEntryDeletedException,
  )
  @ApiCreatedResponse({ description: 'The session' })
  create(@CurrentPrincipal() principal: Principal, @JsonBody() body: CreateSessionDto) {
    return toResponse(this.sessions.create(principal, body));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A session' })
  // ParseUUIDPipe's 400; an unknown session; one of another organization or environment.
  @ApiErrors(BadRequestException, NotFoundException, UnauthorizedAccessException)
  @ApiOkResponse({ description: 'The session' })
  get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string) {
    return toResponse(this.sessions.get(principal, id));
  }
}
