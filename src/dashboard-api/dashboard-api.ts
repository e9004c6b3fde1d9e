import {
  type CanActivate,
  Controller,
  applyDecorators,
  Delete,
  type ExecutionContext,
  ForbiddenException,
  Get,
  HttpCode,
  Inject,
  Injectable,
  InternalServerErrorException,
  Module,
  NotFoundException,
  Param,
  Post,
  Req,
  Res,
  UseGuards,
  createParamDecorator,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApiErrors,
  AudienceInUseException,
  AuthInvalidCredentialsException,
  AuthInvalidRefreshTokenException,
  AuthInvalidTokenException,
  AuthNoRefreshTokenException,
  AuthNoTokenException,
  AuthProviderMismatchException,
  AuthTokenRevokedException,
  ContentNotFoundException,
  EmailExistsException,
  ExternalServiceException,
  InsufficientRoleException,
  InvalidInviteTokenException,
  InvalidResetTokenException,
  MemberExistsException,
  MissingTenantIdException,
  RegistrationFailedException,
  TenantExistsException,
  TenantNotFoundException,
  UserNotFoundException,
  ValidationFailedException,
} from 'nest-api-errors';
import { randomUUID } from 'node:crypto';
import { JsonBody } from '../common/json-body.decorator.js';
import { SECURITY, TAGS } from '../openapi.js';
import {
  AddMemberDto,
  LoginDto,
  RegisterDto,
  TokenDto,
  TranslateDto,
} from './dashboard-api.dto.js';
import { type Claims, issueToken, verifyToken } from './tokens.js';

/** Demo dashboard credentials (reference-docs/004), printed at start-up. */
export const DASHBOARD_DEMO = {
  owner: { email: 'owner@acme.test', password: 'correct-horse' },
  viewer: { email: 'viewer@acme.test', password: 'battery-staple' },
  googleUser: 'google@acme.test',
  tenantId: 'ten_acme',
  invite: 'inv_valid',
  reset: 'rst_valid',
} as const;

/** Creates the tenant and owner of a registration in the systems behind the dashboard. */
export const PROVISIONER = Symbol('PROVISIONER');
export interface Provisioner {
  provision(company: string, email: string): Promise<void>;
}

/** The third-party AI translation service content is sent to. */
export const TRANSLATOR = Symbol('TRANSLATOR');
export interface Translator {
  translate(text: string, locale: string): Promise<{ text: string }>;
}

interface User {
  id: string;
  email: string;
  password?: string;
  provider: 'password' | 'google';
  role: 'owner' | 'viewer';
  tenantId: string;
}

@Injectable()
export class DashboardStore {
  readonly tenants = new Map([
    ['ten_acme', { id: 'ten_acme', name: 'Acme' }],
    ['ten_globex', { id: 'ten_globex', name: 'Globex' }],
  ]);
  readonly users = new Map<string, User>([
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
  readonly audiences = new Map([
    ['aud_trial', { id: 'aud_trial', tenantId: 'ten_acme', usedBy: ['tour_welcome'] }],
    ['aud_unused', { id: 'aud_unused', tenantId: 'ten_acme', usedBy: [] as string[] }],
  ]);
  readonly contents = new Map([
    ['tour_welcome', { id: 'tour_welcome', tenantId: 'ten_acme', text: 'Welcome aboard' }],
  ]);
  readonly refreshTokens = new Map<string, string>();
  readonly revoked = new Set<string>();
  readonly invites = new Set<string>([DASHBOARD_DEMO.invite]);
  readonly resets = new Set<string>([DASHBOARD_DEMO.reset]);
}

interface DashboardRequest {
  headers: Record<string, string | string[] | undefined>;
  claims?: Claims;
}

function cookie(request: DashboardRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  const found = (typeof header === 'string' ? header : '')
    .split(';')
    .map((part) => part.trim().split('='));
  return found.find(([key]) => key === name)?.[1];
}

/** JWT from the `access_token` cookie or `Authorization: Bearer`: AUTH_NO_TOKEN, AUTH_INVALID_TOKEN, AUTH_TOKEN_REVOKED. */
@Injectable()
export class JwtGuard implements CanActivate {
  constructor(private readonly store: DashboardStore) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<DashboardRequest>();
    const header = request.headers.authorization;
    const token =
      cookie(request, 'access_token') ??
      (typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined);
    if (token === undefined || token === '') {
      throw new AuthNoTokenException();
    }
    const claims = verifyToken(token);
    if (claims === undefined) {
      throw new AuthInvalidTokenException();
    }
    if (this.store.revoked.has(claims.jti)) {
      throw new AuthTokenRevokedException();
    }
    request.claims = claims;
    return true;
  }
}

const CurrentClaims = createParamDecorator(
  (_: unknown, context: ExecutionContext) =>
    context.switchToHttp().getRequest<DashboardRequest>().claims!,
);

/** The tenant a request acts on: `x-tenant-id`, which must exist and be the caller's. */
const TenantId = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<DashboardRequest>();
  const tenantId = request.headers['x-tenant-id'];
  if (typeof tenantId !== 'string' || tenantId === '') {
    throw new MissingTenantIdException();
  }
  return tenantId;
});

interface ReplyLike {
  header(name: string, value: string): unknown;
}
/** Express `res.setHeader` or Fastify `reply.header`, for the refresh cookie. */
function setCookie(
  response: ReplyLike & { setHeader?(name: string, value: string): unknown },
  value: string,
) {
  const cookieValue = `refresh_token=${value}; HttpOnly; Path=/api/dashboard/auth; SameSite=Strict`;
  if (typeof response.setHeader === 'function') {
    response.setHeader('Set-Cookie', cookieValue);
  } else {
    response.header('Set-Cookie', cookieValue);
  }
}

/** What `JwtGuard` answers: no token, a malformed or expired one, a revoked one. */
const JWT_ERRORS = [
  AuthNoTokenException,
  AuthInvalidTokenException,
  AuthTokenRevokedException,
] as const;

/**
 * What a tenant-scoped route answers besides `JwtGuard`'s errors: no `x-tenant-id`, an unknown
 * tenant, another company's.
 */
const TENANT_ERRORS = [
  ...JWT_ERRORS,
  MissingTenantIdException,
  TenantNotFoundException,
  ForbiddenException,
] as const;

/** `JwtGuard`, and the JWT it reads documented: a bearer token or the `access_token` cookie. */
const Authenticated = () =>
  applyDecorators(
    UseGuards(JwtGuard),
    ApiBearerAuth(SECURITY.dashboardBearer),
    ApiCookieAuth(SECURITY.dashboardCookie),
  );

/** The `x-tenant-id` header of tenant-scoped routes, documented. */
const ApiTenantHeader = () =>
  ApiHeader({
    name: 'x-tenant-id',
    required: true,
    description: 'The company the request acts on (one the caller belongs to)',
  });

/** `/api/dashboard`: the product-tours dashboard of reference-docs/004 (`envelope` errors). */
@Controller('api/dashboard')
@ApiTags(TAGS.dashboard)
export class DashboardController {
  constructor(
    private readonly store: DashboardStore,
    @Inject(PROVISIONER) private readonly provisioner: Provisioner,
    @Inject(TRANSLATOR) private readonly translator: Translator,
  ) {}

  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with email and password', security: [] })
  @ApiErrors(
    ValidationFailedException,
    AuthProviderMismatchException,
    AuthInvalidCredentialsException,
  )
  @ApiOkResponse({ description: 'The access token; the refresh token in a cookie' })
  login(@JsonBody() body: LoginDto, @Res({ passthrough: true }) response: ReplyLike) {
    const user = [...this.store.users.values()].find((candidate) => candidate.email === body.email);
    if (user?.provider === 'google') {
      throw new AuthProviderMismatchException();
    }
    if (user === undefined || user.password !== body.password) {
      throw new AuthInvalidCredentialsException();
    }
    const refresh = randomUUID();
    this.store.refreshTokens.set(refresh, user.id);
    setCookie(response, refresh);
    return { access_token: issueToken(user.id, user.tenantId) };
  }

  @Post('auth/refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new access token for the refresh_token cookie', security: [] })
  @ApiErrors(AuthNoRefreshTokenException, AuthInvalidRefreshTokenException)
  @ApiOkResponse({ description: 'The access token' })
  refresh(@Req() request: DashboardRequest) {
    const token = cookie(request, 'refresh_token');
    if (token === undefined) {
      throw new AuthNoRefreshTokenException();
    }
    const userId = this.store.refreshTokens.get(token);
    if (userId === undefined) {
      throw new AuthInvalidRefreshTokenException();
    }
    return { access_token: issueToken(userId, this.store.users.get(userId)!.tenantId) };
  }

  @Post('auth/logout')
  @HttpCode(204)
  @Authenticated()
  @ApiOperation({ summary: 'Revoke the access token' })
  @ApiErrors(...JWT_ERRORS)
  @ApiNoContentResponse({ description: 'Revoked' })
  logout(@CurrentClaims() claims: Claims): void {
    this.store.revoked.add(claims.jti);
  }

  @Get('me')
  @Authenticated()
  @ApiOperation({ summary: 'The logged-in user' })
  @ApiErrors(...JWT_ERRORS)
  @ApiOkResponse({ description: 'The user' })
  me(@CurrentClaims() claims: Claims) {
    const user = this.store.users.get(claims.sub)!;
    return { id: user.id, email: user.email, role: user.role };
  }

  @Post('register')
  @ApiOperation({ summary: 'Register a company and its owner', security: [] })
  @ApiErrors(
    ValidationFailedException,
    EmailExistsException,
    TenantExistsException,
    RegistrationFailedException,
  )
  @ApiCreatedResponse({ description: 'The new company' })
  async register(@JsonBody() body: RegisterDto) {
    if ([...this.store.users.values()].some((user) => user.email === body.email)) {
      throw new EmailExistsException();
    }
    if ([...this.store.tenants.values()].some((tenant) => tenant.name === body.company)) {
      throw new TenantExistsException();
    }
    try {
      await this.provisioner.provision(body.company, body.email);
    } catch (cause) {
      throw new RegistrationFailedException({ cause });
    }
    const tenant = { id: `ten_${randomUUID()}`, name: body.company };
    this.store.tenants.set(tenant.id, tenant);
    return { tenant_id: tenant.id };
  }

  @Post('invites/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept an invitation', security: [] })
  @ApiErrors(ValidationFailedException, InvalidInviteTokenException)
  @ApiOkResponse({ description: 'Accepted' })
  acceptInvite(@JsonBody() body: TokenDto) {
    if (!this.store.invites.delete(body.token)) {
      throw new InvalidInviteTokenException();
    }
    return { accepted: true };
  }

  @Post('password-reset')
  @HttpCode(204)
  @ApiOperation({ summary: 'Reset a password with a reset token', security: [] })
  @ApiErrors(ValidationFailedException, InvalidResetTokenException)
  @ApiNoContentResponse({ description: 'Reset' })
  resetPassword(@JsonBody() body: TokenDto): void {
    if (!this.store.resets.delete(body.token)) {
      throw new InvalidResetTokenException();
    }
  }

  /** Tenant-scoped routes below: x-tenant-id must name an existing tenant the caller belongs to. */
  private tenant(claims: Claims, tenantId: string) {
    const tenant = this.store.tenants.get(tenantId);
    if (tenant === undefined) {
      throw new TenantNotFoundException();
    }
    if (claims.tid !== tenantId) {
      throw new ForbiddenException('Valid authentication but insufficient permissions');
    }
    return tenant;
  }

  @Get('users')
  @Authenticated()
  @ApiOperation({ summary: "The company's users" })
  @ApiTenantHeader()
  @ApiErrors(...TENANT_ERRORS)
  @ApiOkResponse({ description: 'The users' })
  users(@CurrentClaims() claims: Claims, @TenantId() tenantId: string) {
    this.tenant(claims, tenantId);
    return [...this.store.users.values()]
      .filter((user) => user.tenantId === tenantId)
      .map((user) => ({ id: user.id, email: user.email, role: user.role }));
  }

  @Get('users/:id')
  @Authenticated()
  @ApiOperation({ summary: 'A user of the company' })
  @ApiTenantHeader()
  @ApiErrors(...TENANT_ERRORS, UserNotFoundException)
  @ApiOkResponse({ description: 'The user' })
  user(@CurrentClaims() claims: Claims, @TenantId() tenantId: string, @Param('id') id: string) {
    this.tenant(claims, tenantId);
    const user = this.store.users.get(id);
    if (user === undefined || user.tenantId !== tenantId) {
      throw new UserNotFoundException();
    }
    return { id: user.id, email: user.email, role: user.role };
  }

  @Post('members')
  @Authenticated()
  @ApiOperation({ summary: 'Invite someone to the company (owners only)' })
  @ApiTenantHeader()
  @ApiErrors(
    ...TENANT_ERRORS,
    ValidationFailedException,
    InsufficientRoleException,
    MemberExistsException,
  )
  @ApiCreatedResponse({ description: 'Invited' })
  addMember(
    @CurrentClaims() claims: Claims,
    @TenantId() tenantId: string,
    @JsonBody() body: AddMemberDto,
  ) {
    this.tenant(claims, tenantId);
    if (this.store.users.get(claims.sub)!.role !== 'owner') {
      throw new InsufficientRoleException();
    }
    if (
      [...this.store.users.values()].some(
        (user) => user.email === body.email && user.tenantId === tenantId,
      )
    ) {
      throw new MemberExistsException();
    }
    return { invited: body.email };
  }

  @Get('audiences')
  @Authenticated()
  @ApiOperation({ summary: "The company's audiences" })
  @ApiTenantHeader()
  @ApiErrors(...TENANT_ERRORS)
  @ApiOkResponse({ description: 'The audiences' })
  audiences(@CurrentClaims() claims: Claims, @TenantId() tenantId: string) {
    this.tenant(claims, tenantId);
    return [...this.store.audiences.values()]
      .filter((audience) => audience.tenantId === tenantId)
      .map(({ id, usedBy }) => ({ id, usedBy }));
  }

  @Delete('audiences/:id')
  @HttpCode(204)
  @Authenticated()
  @ApiOperation({ summary: 'Delete an audience no content uses' })
  @ApiTenantHeader()
  @ApiErrors(...TENANT_ERRORS, NotFoundException, AudienceInUseException)
  @ApiNoContentResponse({ description: 'Deleted' })
  deleteAudience(
    @CurrentClaims() claims: Claims,
    @TenantId() tenantId: string,
    @Param('id') id: string,
  ): void {
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

  @Get('contents')
  @Authenticated()
  @ApiOperation({ summary: "The company's tours, tooltips and surveys" })
  @ApiTenantHeader()
  @ApiErrors(...TENANT_ERRORS)
  @ApiOkResponse({ description: 'The contents' })
  contents(@CurrentClaims() claims: Claims, @TenantId() tenantId: string) {
    this.tenant(claims, tenantId);
    return [...this.store.contents.values()]
      .filter((content) => content.tenantId === tenantId)
      .map(({ id, text }) => ({ id, text }));
  }

  @Post('contents/:id/translate')
  @HttpCode(200)
  @Authenticated()
  @ApiOperation({ summary: 'Translate content through the AI provider' })
  @ApiTenantHeader()
  @ApiErrors(
    ...TENANT_ERRORS,
    ValidationFailedException,
    ContentNotFoundException,
    ExternalServiceException,
    InternalServerErrorException,
  )
  @ApiOkResponse({ description: 'The translation' })
  async translate(
    @CurrentClaims() claims: Claims,
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @JsonBody() body: TranslateDto,
  ) {
    this.tenant(claims, tenantId);
    const content = this.store.contents.get(id);
    if (content === undefined || content.tenantId !== tenantId) {
      throw new ContentNotFoundException();
    }
    let translated: { text: string };
    try {
      translated = await this.translator.translate(content.text, body.locale ?? 'de');
    } catch (cause) {
      throw new ExternalServiceException({ cause });
    }
    // A malformed answer is a bug here, not the provider's failure: it surfaces as INTERNAL_ERROR.
    return { id, text: translated.text.trim() };
  }
}

@Module({
  controllers: [DashboardController],
  providers: [
    DashboardStore,
    JwtGuard,
    { provide: PROVISIONER, useValue: { provision: async () => undefined } satisfies Provisioner },
    {
      provide: TRANSLATOR,
      useValue: {
        translate: async (text: string, locale: string) => ({ text: `[${locale}] ${text}` }),
      } satisfies Translator,
    },
  ],
})
export class DashboardApiModule {}
