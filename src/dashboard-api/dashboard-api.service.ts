import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  AudienceInUseException,
  AuthInvalidCredentialsException,
  AuthInvalidRefreshTokenException,
  AuthNoRefreshTokenException,
  AuthProviderMismatchException,
  ContentNotFoundException,
  EmailExistsException,
  ExternalServiceException,
  InsufficientRoleException,
  InvalidInviteTokenException,
  InvalidResetTokenException,
  MemberExistsException,
  RegistrationFailedException,
  TenantExistsException,
  TenantNotFoundException,
  UserNotFoundException,
} from 'nest-api-errors';
import { randomUUID } from 'node:crypto';
import {
  type Audience,
  type Content,
  type DashboardUser,
  DashboardStore,
  type Tenant,
} from './dashboard-api.store.js';
import { type Claims, issueToken } from './jwt.token.js';
import { PROVISIONER, type Provisioner } from './provisioner.js';
import { TRANSLATOR, type Translator } from './translator.js';

/** A user as the dashboard shows one: never the password or the login provider. */
export interface UserView {
  id: string;
  email: string;
  role: DashboardUser['role'];
}

const toUserView = ({ id, email, role }: DashboardUser): UserView => ({ id, email, role });

/**
 * The product-tours dashboard behind `/api/dashboard` (README § `/api/dashboard`): logins and
 * their tokens, registration, invitations, and the tenant-scoped users, audiences and contents.
 * Every documented error comes from a rule here, over `DashboardStore`.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly store: DashboardStore,
    @Inject(PROVISIONER) private readonly provisioner: Provisioner,
    @Inject(TRANSLATOR) private readonly translator: Translator,
  ) {}

  /**
   * Email and password → an access token and a refresh token. An account registered through
   * Google has no password to check: it is told so (`AUTH_PROVIDER_MISMATCH`) rather than sent
   * to guess.
   */
  login(email: string, password: string): { accessToken: string; refreshToken: string } {
    const user = [...this.store.users.values()].find((candidate) => candidate.email === email);
    if (user?.provider === 'google') {
      throw new AuthProviderMismatchException();
    }
    if (user === undefined || user.password !== password) {
      throw new AuthInvalidCredentialsException();
    }
    const refreshToken = randomUUID();
    this.store.refreshTokens.set(refreshToken, user.id);
    return { accessToken: issueToken(user.id, user.tenantId), refreshToken };
  }

  /** A new access token for the refresh token of an earlier login. */
  refresh(refreshToken: string | undefined): string {
    if (refreshToken === undefined) {
      throw new AuthNoRefreshTokenException();
    }
    const userId = this.store.refreshTokens.get(refreshToken);
    if (userId === undefined) {
      throw new AuthInvalidRefreshTokenException();
    }
    return issueToken(userId, this.store.users.get(userId)!.tenantId);
  }

  /** Revokes the access token: `JwtGuard` answers `AUTH_TOKEN_REVOKED` for it from now on. */
  logout(claims: Claims): void {
    this.store.revoked.add(claims.jti);
  }

  me(claims: Claims): UserView {
    return toUserView(this.store.users.get(claims.sub)!);
  }

  /**
   * A new company: its email and name must be new, then the systems behind the dashboard
   * provision it. Their failure is `REGISTRATION_FAILED` (a 500 with the documented message; the
   * cause goes to the log only).
   */
  async register(email: string, company: string): Promise<Tenant> {
    if ([...this.store.users.values()].some((user) => user.email === email)) {
      throw new EmailExistsException();
    }
    if ([...this.store.tenants.values()].some((tenant) => tenant.name === company)) {
      throw new TenantExistsException();
    }
    try {
      await this.provisioner.provision(company, email);
    } catch (cause) {
      throw new RegistrationFailedException({ cause });
    }
    const tenant = { id: `ten_${randomUUID()}`, name: company };
    this.store.tenants.set(tenant.id, tenant);
    return tenant;
  }

  /** Uses up an invitation token: a second use is as invalid as an unknown token. */
  acceptInvite(token: string): void {
    if (!this.store.invites.delete(token)) {
      throw new InvalidInviteTokenException();
    }
  }

  /** Uses up a password-reset token, once, like an invitation. */
  resetPassword(token: string): void {
    if (!this.store.resets.delete(token)) {
      throw new InvalidResetTokenException();
    }
  }

  users(claims: Claims, tenantId: string): UserView[] {
    this.tenant(claims, tenantId);
    return [...this.store.users.values()]
      .filter((user) => user.tenantId === tenantId)
      .map(toUserView);
  }

  /** Another company's user is as unknown as one that does not exist. */
  user(claims: Claims, tenantId: string, id: string): UserView {
    this.tenant(claims, tenantId);
    const user = this.store.users.get(id);
    if (user === undefined || user.tenantId !== tenantId) {
      throw new UserNotFoundException();
    }
    return toUserView(user);
  }

  /** Invites someone to the company: owners only, and not someone already in it. */
  addMember(claims: Claims, tenantId: string, email: string): { invited: string } {
    this.tenant(claims, tenantId);
    if (this.store.users.get(claims.sub)!.role !== 'owner') {
      throw new InsufficientRoleException();
    }
    if (
      [...this.store.users.values()].some(
        (user) => user.email === email && user.tenantId === tenantId,
      )
    ) {
      throw new MemberExistsException();
    }
    return { invited: email };
  }

  audiences(claims: Claims, tenantId: string): Pick<Audience, 'id' | 'usedBy'>[] {
    this.tenant(claims, tenantId);
    return [...this.store.audiences.values()]
      .filter((audience) => audience.tenantId === tenantId)
      .map(({ id, usedBy }) => ({ id, usedBy }));
  }

  /**
   * An audience that content still targets is `AUDIENCE_IN_USE`; an unknown one is a generic 404
   * (the documented catalog has no code for it).
   */
  deleteAudience(claims: Claims, tenantId: string, id: string): void {
    this.tenant(claims, tenantId);
    const audience = this.store.audiences.get(id);
    if (audience === undefined || audience.tenantId !== tenantId) {
      throw new NotFoundException('Audience not found');
    }
    if (audience.usedBy.length > 0) {
      throw new AudienceInUseException();
    }
    this.store.audiences.delete(id);
  }

  contents(claims: Claims, tenantId: string): Pick<Content, 'id' | 'text'>[] {
    this.tenant(claims, tenantId);
    return [...this.store.contents.values()]
      .filter((content) => content.tenantId === tenantId)
      .map(({ id, text }) => ({ id, text }));
  }

  /**
   * Sends a content's text to the AI provider. The provider failing is
   * `EXTERNAL_SERVICE_ERROR`; an answer of the wrong shape is a bug here, not the provider's
   * failure, so it surfaces as `INTERNAL_ERROR`.
   */
  async translate(
    claims: Claims,
    tenantId: string,
    id: string,
    locale: string,
  ): Promise<{ id: string; text: string }> {
    this.tenant(claims, tenantId);
    const content = this.store.contents.get(id);
    if (content === undefined || content.tenantId !== tenantId) {
      throw new ContentNotFoundException();
    }
    let translated: { text: string };
    try {
      translated = await this.translator.translate(content.text, locale);
    } catch (cause) {
      throw new ExternalServiceException({ cause });
    }
    return { id, text: translated.text.trim() };
  }

  /**
   * The tenant a tenant-scoped request names (`x-tenant-id`): it must exist, and be the caller's
   * own; another company's is a generic 403, as the `/api/dashboard` API documents.
   */
  private tenant(claims: Claims, tenantId: string): void {
    if (!this.store.tenants.has(tenantId)) {
      throw new TenantNotFoundException();
    }
    if (claims.tid !== tenantId) {
      throw new ForbiddenException('Valid authentication but insufficient permissions');
    }
  }
}
