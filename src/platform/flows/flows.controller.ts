import { ConflictException, Controller, Get, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiErrors, ValidationFailedException } from 'nest-api-errors';
import { JsonBody } from '../../common/json-body.decorator.js';
import { CurrentPrincipal, PlatformApi } from '../auth/bearer-auth.guard.js';
import type { Flow, Principal } from '../data/platform.store.js';
import { CreateFlowDto } from './create-flow.dto.js';
import { FlowsService } from './flows.service.js';

/** A flow as the API shows it: not the organization, which the token already names. */
function toResponse({ id, name }: Flow) {
  return { id, name };
}

/** `/api/v1/flows` (README § `/api/v1`, timestamped errors). */
@Controller('api/v1/flows')
@PlatformApi()
export class FlowsController {
  constructor(private readonly flows: FlowsService) {}

  @Get()
  @ApiOperation({ summary: "The organization's flows" })
  @ApiOkResponse({ description: 'The flows' })
  list(@CurrentPrincipal() principal: Principal) {
    return this.flows.list(principal).map(toResponse);
  }

  @Post()
  @ApiOperation({ summary: 'Create a flow (names are unique within an organization)' })
  @ApiErrors(ValidationFailedException, ConflictException)
  @ApiCreatedResponse({ description: 'The flow' })
  create(@CurrentPrincipal() principal: Principal, @JsonBody() body: CreateFlowDto) {
    return toResponse(this.flows.create(principal, body.name));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A flow' })
  @ApiErrors(NotFoundException)
  @ApiOkResponse({ description: 'The flow' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return toResponse(this.flows.get(principal, id));
  }
}
