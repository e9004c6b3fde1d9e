import { Injectable } from '@nestjs/common';

/**
 * Demo logins, tenant and tokens of `/api/dashboard` (README § `/api/dashboard`), printed at
 * start-up and used by the e2e suites: one place, so the seed and what `npm start` prints agree.
 */
export const DASHBOARD_DEMO = {
  owner: { email: 'owner@acme.test', password: 'correct-horse' },
  viewer: { email: 'viewer@acme.test', password: 'battery-staple' },
  googleUser: 'google@acme.test',
  tenantId: 'ten_acme',
  invite: 'inv_valid',
  reset: 'rst_valid',
} as const;

/** A dashboard login. Accounts registered through Google have no password here. */
export interface DashboardUser {
  id: string;
  email: string;
  password?: string;
  provider: 'password' | 'google';
  role: 'owner' | 'viewer';
  tenantId: string;
}

export interface Tenant {
  id: string;
  name: string;
}

export interface Audience {
  id: string;
  tenantId: string;
  /** The contents that target this audience: while any does, it cannot be deleted. */
  usedBy: string[];
}

export interface Content {
  id: string;
  tenantId: string;
  text: string;
}

/**
 * The dashboard's data: in memory, seeded fresh for every application instance so each e2e suite
 * starts from the same state.
 */
@Injectable()
export class DashboardStore {
  readonly tenants = new Map<string, Tenant>([
    ['ten_acme', { id: 'ten_acme', name: 'Acme' }],
    ['ten_globex', { id: 'ten_globex', name: 'Globex' }],
  ]);

  readonly users = new Map<string, DashboardUser>([
    [
      'usr_owner',
      {
        id: 'usr_owner',
        email: DASHBOARD_DEMO.owner.email,
        password: DASHBOARD_DEMO.owner.password,
        provider: 'password',
        role: 'owner',
        tenantId: 'ten_acme',
      },
    ],
    [
      'usr_viewer',
      {
        id: 'usr_viewer',
        email: DASHBOARD_DEMO.viewer.email,
        password: DASHBOARD_DEMO.viewer.password,
        provider: 'password',
        role: 'viewer',
        tenantId: 'ten_acme',
      },
    ],
    [
      'usr_google',
      {
        id: 'usr_google',
        email: DASHBOARD_DEMO.googleUser,
        provider: 'google',
        role: 'viewer',
        tenantId: 'ten_acme',
      },
    ],
  ]);

  readonly audiences = new Map<string, Audience>([
    ['aud_trial', { id: 'aud_trial', tenantId: 'ten_acme', usedBy: ['tour_welcome'] }],
    ['aud_unused', { id: 'aud_unused', tenantId: 'ten_acme', usedBy: [] }],
  ]);

  readonly contents = new Map<string, Content>([
    ['tour_welcome', { id: 'tour_welcome', tenantId: 'ten_acme', text: 'Welcome aboard' }],
  ]);

  /** Refresh token → user id. */
  readonly refreshTokens = new Map<string, string>();
  /** The `jti` of every access token revoked by logout. */
  readonly revoked = new Set<string>();
  /** Invitation and password-reset tokens not used yet: each works once. */
  readonly invites = new Set<string>([DASHBOARD_DEMO.invite]);
  readonly resets = new Set<string>([DASHBOARD_DEMO.reset]);
}
