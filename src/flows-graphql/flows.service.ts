import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { RateLimitedException } from 'nest-api-errors';
import type { Flow, FlowRun } from './flow.model.js';
import { FlowsGraphQLStore } from './flows-graphql.store.js';
import type { RunFlowInput } from './run-flow.input.js';

/** Flow runs one project may start per minute: a 429 for that field only (HTTP 200). */
export const RUNS_PER_MINUTE = 5;

/**
 * Flows per project with their runs, and the run budget per project (README § `/graphql`). Its
 * errors are per field: the resolver's field is `null` and the error is in `errors[]`.
 */
@Injectable()
export class FlowsService {
  /** Start times of each project's runs in the last minute. */
  private readonly runTimes = new Map<string, number[]>();

  constructor(private readonly store: FlowsGraphQLStore) {}

  flow(projectId: string, id: string): Flow {
    const flow = this.store.flows.get(id);
    if (flow === undefined) {
      throw new NotFoundException('Flow not found');
    }
    if (flow.projectId !== projectId) {
      throw new ForbiddenException('No permission for this project or Flow');
    }
    return flow;
  }

  list(projectId: string): Flow[] {
    return [...this.store.flows.values()].filter((flow) => flow.projectId === projectId);
  }

  run(projectId: string, input: RunFlowInput): FlowRun {
    const flow = this.flow(projectId, input.flowId);
    const now = Date.now();
    const recent = (this.runTimes.get(projectId) ?? []).filter((at) => now - at < 60_000);
    if (recent.length >= RUNS_PER_MINUTE) {
      throw new RateLimitedException({
        retryAfterSeconds: Math.ceil((recent[0]! + 60_000 - now) / 1000),
      });
    }
    this.runTimes.set(projectId, [...recent, now]);
    const run = { id: `run_${now}_${recent.length}`, flowId: flow.id, status: 'queued' };
    flow.runs.push(run);
    return run;
  }
}
