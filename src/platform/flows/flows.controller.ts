import { ConflictException, Controller, Get, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { ApiErrors, ValidationFailedException } from 'nest-api-errors';
import { JsonBody } from '../../common/json-body.decorator.js';
import { CurrentPrincipal, PlatformApi } from '../auth/bearer-auth.guard.js';
import { type Principal, PlatformStore } from '../data/platform.store.js';

export class CreateFlowDto {
  @IsString()
  @Length(1, 120)
  name!: string;
}

/**
 * `/api/v1/flows` (reference-docs/000): flows are unique by name within an organization. Their
 * errors are generic HTTP errors (409 "Duplicate resource", 404), so they carry no code.
 */
@Controller('api/v1/flows')
@PlatformApi()
export class FlowsController {
  constructor(private readonly store: PlatformStore) {}

  @Get()
  @ApiOperation({ summary: "The organization's flows" })
  @ApiOkResponse({ description: 'The flows' })
  list(@CurrentPrincipal() principal: Principal) {
    return [...this.store.flows.values()]
      .filter((flow) => flow.organizationId === principal.organizationId)
      .map(({ id, name }) => ({ id, name }));
  }

  @Post()
  @ApiOperation({ summary: 'Create a flow (names are unique within an organization)' })
  @ApiErrors(ValidationFailedException, ConflictException)
  @ApiCreatedResponse({ description: 'The flow' })
  create(@CurrentPrincipal() principal: Principal, @JsonBody() body: CreateFlowDto) {
    const taken = [...this.store.flows.values()].some(
      (flow) => flow.organizationId === principal.organizationId && flow.name === body.name,
    );
    if (taken) {
      throw new ConflictException('Flow already exists');
    }
    const flow = {
      id: this.store.newId(),
      organizationId: principal.organizationId,
      name: body.name,
    };
    this.store.flows.set(flow.id, flow);
    return { id: flow.id, name: flow.name };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A flow' })
  @ApiErrors(NotFoundException)
  @ApiOkResponse({ description: 'The flow' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    const flow = this.store.flows.get(id);
    if (flow === undefined || flow.organizationId !== principal.organizationId) {
      throw new NotFoundException('Flow not found');
    }
    return { id: flow.id, name: flow.name };
  }
}
