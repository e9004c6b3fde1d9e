import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

/** Who a bearer token speaks for: an organization, in one environment. */
export interface Principal {
  organizationId: string;
  environment: 'production' | 'sandbox';
}

export interface OAuthClient {
  id: string;
  organizationId: string;
  allowedRedirectUrls: string[];
}

export interface Session {
  id: string;
  clientId: string;
  organizationId: string;
  environment: Principal['environment'];
  redirectUrl: string;
  vaultEntryIds: string[];
  createdAt: string;
}

export interface VaultEntry {
  id: string;
  organizationId: string;
  name: string;
  kind: 'binary' | 'data-block';
  /** For data blocks: what they hold (`form`, `table`, …). */
  dataBlockType?: string;
  content: string;
  parentId?: string;
  deletedAt?: string;
}

/** A flow of an organization; names are unique within one. */
export interface Flow {
  id: string;
  organizationId: string;
  name: string;
}

export interface FlowExecution {
  id: string;
  organizationId: string;
  status: 'running' | 'finished';
}

/** Demo credentials and ids printed at start-up and used by the e2e tests. */
export const DEMO = {
  tokens: {
    acmeProduction: 'demo-acme-production-token',
    acmeSandbox: 'demo-acme-sandbox-token',
    globexProduction: 'demo-globex-production-token',
  },
  clients: { acmeWeb: 'cli_acme_web', acmeUnconfigured: 'cli_acme_unconfigured' },
  redirectUrl: 'https://app.acme.test/callback',
  sessions: { acmeProduction: '6f0c1b2e-8a8e-4c53-9d1f-3f6a2b7c9e01' },
  files: {
    report: '0b1f6a2e-3c4d-4e5f-8a9b-0c1d2e3f4a01',
    form: '0b1f6a2e-3c4d-4e5f-8a9b-0c1d2e3f4a02',
    deleted: '0b1f6a2e-3c4d-4e5f-8a9b-0c1d2e3f4a03',
    attached: '0b1f6a2e-3c4d-4e5f-8a9b-0c1d2e3f4a04',
    globexSecret: '0b1f6a2e-3c4d-4e5f-8a9b-0c1d2e3f4a05',
  },
  flowExecutions: {
    running: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c01',
    finished: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c02',
  },
} as const;

/**
 * The reference app's data: in memory, seeded fresh for every application instance so each
 * e2e suite starts from the same state.
 */
@Injectable()
export class PlatformStore {
  readonly principals = new Map<string, Principal>([
    [DEMO.tokens.acmeProduction, { organizationId: 'org_acme', environment: 'production' }],
    [DEMO.tokens.acmeSandbox, { organizationId: 'org_acme', environment: 'sandbox' }],
    [DEMO.tokens.globexProduction, { organizationId: 'org_globex', environment: 'production' }],
  ]);

  readonly clients = new Map<string, OAuthClient>([
    [
      DEMO.clients.acmeWeb,
      {
        id: DEMO.clients.acmeWeb,
        organizationId: 'org_acme',
        allowedRedirectUrls: [DEMO.redirectUrl],
      },
    ],
    [
      DEMO.clients.acmeUnconfigured,
      { id: DEMO.clients.acmeUnconfigured, organizationId: 'org_acme', allowedRedirectUrls: [] },
    ],
  ]);

  readonly sessions = new Map<string, Session>([
    [
      DEMO.sessions.acmeProduction,
      {
        id: DEMO.sessions.acmeProduction,
        clientId: DEMO.clients.acmeWeb,
        organizationId: 'org_acme',
        environment: 'production',
        redirectUrl: DEMO.redirectUrl,
        vaultEntryIds: [DEMO.files.report],
        createdAt: '2026-02-17T09:18:05.040Z',
      },
    ],
  ]);

  readonly vaultEntries = new Map<string, VaultEntry>(
    (
      [
        {
          id: DEMO.files.report,
          organizationId: 'org_acme',
          name: 'report.pdf',
          kind: 'binary',
          content: 'JVBERi0xLjQK',
        },
        {
          id: DEMO.files.form,
          organizationId: 'org_acme',
          name: 'signup-form',
          kind: 'data-block',
          dataBlockType: 'form',
          content: '{"fields":["email"]}',
        },
        {
          id: DEMO.files.deleted,
          organizationId: 'org_acme',
          name: 'old.csv',
          kind: 'binary',
          content: 'YSxiCg==',
          deletedAt: '2026-01-01T00:00:00.000Z',
        },
        {
          id: DEMO.files.attached,
          organizationId: 'org_acme',
          name: 'appendix.pdf',
          kind: 'binary',
          content: 'JVBERi0xLjQK',
          parentId: DEMO.files.report,
        },
        {
          id: DEMO.files.globexSecret,
          organizationId: 'org_globex',
          name: 'payroll.xlsx',
          kind: 'binary',
          content: 'UEsDBA==',
        },
      ] satisfies VaultEntry[]
    ).map((entry) => [entry.id, entry]),
  );

  readonly flowExecutions = new Map<string, FlowExecution>([
    [
      DEMO.flowExecutions.running,
      { id: DEMO.flowExecutions.running, organizationId: 'org_acme', status: 'running' },
    ],
    [
      DEMO.flowExecutions.finished,
      { id: DEMO.flowExecutions.finished, organizationId: 'org_acme', status: 'finished' },
    ],
  ]);

  readonly flows = new Map<string, Flow>([
    ['flw_onboarding', { id: 'flw_onboarding', organizationId: 'org_acme', name: 'Onboarding' }],
  ]);

  newId(): string {
    return randomUUID();
  }
}
