import { Injectable } from '@nestjs/common';

/** Demo API keys of `/api` (README § `/api`), printed at start-up. */
export const AGENTS_API_KEYS = ['demo-agents-api-key'] as const;

export interface Agent {
  id: string;
  name: string;
  identifier: string;
  secretMode: 'all' | 'selective';
  secretIds: string[];
}

export interface Secret {
  id: string;
  name: string;
  type: 'generic' | 'bearer';
  hostPattern: string;
  injectionConfig?: { headerName?: string; paramName?: string };
}

export interface Rule {
  id: string;
  action: 'allow' | 'deny' | 'rate_limit';
  rateLimit?: number;
  rateLimitWindow?: number;
}

/** An app of the registry: whether it can be connected, and the credential fields it needs. */
export interface Provider {
  available: boolean;
  requiredFields: string[];
}

/**
 * The agents platform's data: in memory, seeded fresh for every application instance so each e2e
 * suite starts from the same state.
 */
@Injectable()
export class AgentsApiStore {
  readonly apiKeys: ReadonlySet<string> = new Set(AGENTS_API_KEYS);

  readonly agents = new Map<string, Agent>([
    [
      'agt_default',
      {
        id: 'agt_default',
        name: 'Default agent',
        identifier: 'default',
        secretMode: 'all',
        secretIds: [],
      },
    ],
    [
      'agt_support',
      {
        id: 'agt_support',
        name: 'Support',
        identifier: 'support',
        secretMode: 'all',
        secretIds: [],
      },
    ],
  ]);

  defaultAgentId = 'agt_default';

  readonly secrets = new Map<string, Secret>([
    [
      'sec_github',
      { id: 'sec_github', name: 'GitHub', type: 'bearer', hostPattern: 'api.github.com' },
    ],
  ]);

  readonly rules = new Map<string, Rule>([['rul_1', { id: 'rul_1', action: 'deny' }]]);

  /** The app registry: `slack` can be connected, `jira` exists but is not available. */
  readonly providers = new Map<string, Provider>([
    ['slack', { available: true, requiredFields: ['botToken'] }],
    ['jira', { available: false, requiredFields: ['apiToken', 'siteUrl'] }],
  ]);

  userName = 'Ada';

  private next = 100;

  /** `agt_100`, `sec_101`, …: short ids the README's examples can show. */
  newId(prefix: string): string {
    return `${prefix}_${this.next++}`;
  }
}
