import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { type Flow, type Principal, PlatformStore } from '../data/platform.store.js';

/**
 * An organization's flows, unique by name within it. The `/api/v1` API documents their errors as
 * generic HTTP errors (409 "Duplicate resource", 404), so they carry no code.
 */
@Injectable()
export class FlowsService {
  constructor(private readonly store: PlatformStore) {}

  list(principal: Principal): Flow[] {
    return [...this.store.flows.values()].filter(
      (flow) => flow.organizationId === principal.organizationId,
    );
  }

  create(principal: Principal, name: string): Flow {
    const taken = [...this.store.flows.values()].some(
      (flow) => flow.organizationId === principal.organizationId && flow.name === name,
    );
    if (taken) {
      throw new ConflictException('Flow already exists');
    }
    const flow = { id: this.store.newId(), organizationId: principal.organizationId, name };
    this.store.flows.set(flow.id, flow);
    return flow;
  }

  /** Another organization's flow is as unknown as one that does not exist. */
  get(principal: Principal, id: string): Flow {
    const flow = this.store.flows.get(id);
    if (flow === undefined || flow.organizationId !== principal.organizationId) {
      throw new NotFoundException('Flow not found');
    }
    return flow;
  }
}
