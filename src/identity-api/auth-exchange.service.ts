import { Injectable } from '@nestjs/common';
import { InvalidGrantException, MfaRequiredException, SsoRequiredException } from 'nest-api-errors';
import { randomUUID } from 'node:crypto';
import { IdentityStore } from './identity-api.store.js';

/** How long an access token from the exchange is said to live, in seconds. */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;

/**
 * The token exchange of `/v2/auth` (README § `/v2`): a subject token for an access token, refused
 * with the documented `invalid_grant`, `sso_required` or `mfa_required` when the subject or its
 * workspace's login policy does not allow one.
 */
@Injectable()
export class AuthExchangeService {
  constructor(private readonly store: IdentityStore) {}

  exchange(subjectToken: string): string {
    const subject = this.store.subjects.get(subjectToken);
    if (subject === undefined) {
      throw new InvalidGrantException();
    }
    const workspace = this.store.workspaces.get(subject.workspace)!;
    if (workspace.enforcesSso && !subject.viaSso) {
      throw new SsoRequiredException();
    }
    if (workspace.requiresMfa && !subject.mfaEnrolled) {
      throw new MfaRequiredException();
    }
    const accessToken = `at_${randomUUID()}`;
    this.store.accessTokens.set(accessToken, {
      workspace: subject.workspace,
      scopes: subject.scopes,
    });
    return accessToken;
  }
}
