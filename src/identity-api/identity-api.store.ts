import { Injectable } from '@nestjs/common';

/**
 * Demo subject tokens for `POST /v2/auth/exchange` (README § `/v2`), printed at start-up: one per
 * outcome of the exchange (a full grant, a read-only one, a workspace that requires MFA, one that
 * enforces SSO).
 */
export const SUBJECT_TOKENS = {
  admin: 'demo-subject-admin',
  readOnly: 'demo-subject-readonly',
  withoutMfa: 'demo-subject-no-mfa',
  passwordLogin: 'demo-subject-password-login',
} as const;

/** The scopes a workspace grants; a service account may hold only these. */
export const SCOPES = ['service_accounts:read', 'service_accounts:write'] as const;

/** Whom a subject token stands for, and how they logged in. */
export interface Subject {
  workspace: string;
  scopes: readonly string[];
  mfaEnrolled: boolean;
  viaSso: boolean;
}

/** A workspace's login policy: what the exchange checks before it issues a token. */
export interface Workspace {
  requiresMfa: boolean;
  enforcesSso: boolean;
}

/** What an access token grants: the workspace it acts in, with these scopes. */
export interface Identity {
  workspace: string;
  scopes: readonly string[];
}

export interface ServiceAccount {
  id: string;
  workspace: string;
  name: string;
  scopes: string[];
}

/**
 * Workspaces, subjects, access tokens and service accounts: in memory, seeded fresh for every
 * application instance so each e2e suite starts from the same state.
 */
@Injectable()
export class IdentityStore {
  readonly workspaces = new Map<string, Workspace>([
    ['wks_acme', { requiresMfa: false, enforcesSso: false }],
    ['wks_secure', { requiresMfa: true, enforcesSso: false }],
    ['wks_corp', { requiresMfa: false, enforcesSso: true }],
  ]);

  /** Subject token → subject. */
  readonly subjects = new Map<string, Subject>([
    [
      SUBJECT_TOKENS.admin,
      { workspace: 'wks_acme', scopes: SCOPES, mfaEnrolled: true, viaSso: false },
    ],
    [
      SUBJECT_TOKENS.readOnly,
      {
        workspace: 'wks_acme',
        scopes: ['service_accounts:read'],
        mfaEnrolled: true,
        viaSso: false,
      },
    ],
    [
      SUBJECT_TOKENS.withoutMfa,
      { workspace: 'wks_secure', scopes: SCOPES, mfaEnrolled: false, viaSso: false },
    ],
    [
      SUBJECT_TOKENS.passwordLogin,
      { workspace: 'wks_corp', scopes: SCOPES, mfaEnrolled: true, viaSso: false },
    ],
  ]);

  /** Access token → what it grants; filled by the exchange. */
  readonly accessTokens = new Map<string, Identity>();
  readonly serviceAccounts = new Map<string, ServiceAccount>();
}
