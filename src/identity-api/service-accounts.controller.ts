import {
  ConflictException,
  Controller,
  ForbiddenException,
  Get,
  NotFoundException,
  Param,
  Post,
  UnauthorizedException,
  UnprocessableEntityException,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, ValidationFailedException } from 'nest-api-errors';
import { JsonBody } from '../common/json-body.decorator.js';
import { SECURITY, TAGS } from '../openapi.js';
import { AccessTokenGuard } from './access-token.guard.js';
import { CurrentIdentity } from './current-identity.decorator.js';
import { CreateServiceAccountDto } from './identity-api.dto.js';
import type { Identity, ServiceAccount } from './identity-api.store.js';
import { ServiceAccountsService } from './service-accounts.service.js';

/** A service account as the API shows it: not the workspace, which the token already names. */
function toResponse({ id, name, scopes }: ServiceAccount) {
  return { id, name, scopes };
}

/** `/v2/service-accounts` (README § `/v2`, `traced` errors). */
@Controller('v2/service-accounts')
@UseGuards(AccessTokenGuard)
@ApiTags(TAGS.identity)
@ApiBearerAuth(SECURITY.identityToken)
// AccessTokenGuard: a missing, unknown or expired access token.
@ApiErrors(UnauthorizedException)
export class ServiceAccountsController {
  constructor(private readonly serviceAccounts: ServiceAccountsService) {}

  @Get()
  @ApiOperation({ summary: "The workspace's service accounts" })
  @ApiOkResponse({ description: 'The service accounts' })
  list(@CurrentIdentity() identity: Identity) {
    return this.serviceAccounts.list(identity).map(toResponse);
  }

  @Post()
  @ApiOperation({ summary: 'Create a service account (needs service_accounts:write)' })
  @ApiErrors(
    ValidationFailedException,
    ForbiddenException,
    UnprocessableEntityException,
    ConflictException,
  )
  @ApiCreatedResponse({ description: 'The service account' })
  create(@JsonBody() body: CreateServiceAccountDto, @CurrentIdentity() identity: Identity) {
    return toResponse(this.serviceAccounts.create(identity, body));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A service account' })
  @ApiErrors(NotFoundException)
  @ApiOkResponse({ description: 'The service account' })
  get(@Param('id') id: string, @CurrentIdentity() identity: Identity) {
    return toResponse(this.serviceAccounts.get(identity, id));
  }
}
