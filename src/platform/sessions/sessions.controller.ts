import { Controller, Get, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { JsonBody } from '../../common/json-body.decorator.js';
import { BearerAuthGuard, CurrentPrincipal } from '../auth/bearer-auth.guard.js';
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

/** Hosted sessions (reference-docs/000, timestamped errors). */
@Controller('api/v1/sessions')
@UseGuards(BearerAuthGuard)
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return this.sessions.list(principal).map(toResponse);
  }

  @Post()
  create(@CurrentPrincipal() principal: Principal, @JsonBody() body: CreateSessionDto) {
    return toResponse(this.sessions.create(principal, body));
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string) {
    return toResponse(this.sessions.get(principal, id));
  }
}
