import { Injectable } from '@nestjs/common';
import type { Flow } from './flow.model.js';
import { GRAPHQL_DEMO } from './graphql-access.middleware.js';

/**
 * The flows of `/graphql`, per project: in memory, seeded fresh for every application instance.
 * `flw_billing` belongs to another customer's project, for the documented 403.
 */
@Injectable()
export class FlowsGraphQLStore {
  readonly flows = new Map<string, Flow>(
    [
      { id: 'flw_onboarding', name: 'Onboarding', projectId: GRAPHQL_DEMO.projectId },
      { id: 'flw_billing', name: 'Billing', projectId: 'prj_other' },
    ].map((flow) => [flow.id, { ...flow, runs: [], dependsOn: [] }]),
  );
}
