import {
  type CanActivate,
  ConflictException,
  Controller,
  createParamDecorator,
  type ExecutionContext,
  ForbiddenException,
  Get,
  HttpCode,
  Injectable,
  Module,
  NotFoundException,
  Param,
  Post,
  UnauthorizedException,
  UnprocessableEntityException,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { ArrayMaxSize, IsArray, IsString, Length } from 'class-validator';
import {
  ApiErrors,
  InvalidGrantException,
  MfaRequiredException,
  RateLimitedException,
  SsoRequiredException,
  ValidationFailedException,
} from 'nest-api-errors';
import { randomUUID } from 'node:crypto';
import { JsonBody } from '../common/json-body.decorator.js';
import { SECURITY, TAGS } from '../openapi.js';

/** Demo subject tokens for `POST /v2/auth/exchange` (reference-docs/002), printed at start-up. */
export const SUBJECT_TOKENS = {
  admin: 'demo-subject-admin',
  readOnly: 'demo-subject-readonly',
  withoutMfa: 'demo-subject-no-mfa',
  passwordLogin: 'demo-subject-password-login',
} as const;

/** `POST /v2/auth/exchange` accepts this many requests per minute from one IP. */
export const EXCHANGE_RATE_LIMIT = { limit: 20, ttl: 60_000 } as const;

const SCOPES = ['service_accounts:read', 'service_accounts:write'] as const;

interface Subject {
  workspace: string;
  scopes: readonly string[];
  mfaEnrolled: boolean;
  viaSso: boolean;
}

interface Workspace {
  requiresMfa: boolean;
  enforcesSso: boolean;
}

export class ExchangeDto {
  @IsString()
  @Length(1, 4096)
  subject_token!: string;
}

export class CreateServiceAccountDto {
  @IsString()
  @Length(1, 64)
  name!: string;

  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  scopes!: string[];
}

/** Workspaces, subjects, access tokens and service accounts, in memory. */
@Injectable()
export class IdentityStore {
  readonly workspaces = new Map<string, Workspace>([
    ['wks_acme', { requiresMfa: false, enforcesSso: false }],
    ['wks_secure', { requiresMfa: true, enforcesSso: false }],
    ['wks_corp', { requiresMfa: false, enforcesSso: true }],
  ]);
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
  readonly accessTokens = new Map<string, { workspace: string; scopes: readonly string[] }>();
  readonly serviceAccounts = new Map<
    string,
    { id: string; workspace: string; name: string; scopes: string[] }
  >();
}

/** `Authorization: Bearer <access token>` from the exchange; missing or unknown → generic 401. */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  constructor(private readonly store: IdentityStore) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, unknown>; identity?: unknown }>();
    const header = request.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : '';
    const identity = this.store.accessTokens.get(token);
    if (identity === undefined) {
      throw new UnauthorizedException('Missing, invalid or expired Authorization token');
    }
    request.identity = identity;
    return true;
  }
}

/** `/v2/auth`: token exchange (reference-docs/002, `traced` errors). */
@Controller('v2/auth')
@ApiTags(TAGS.identity)
export class AuthExchangeController {
  constructor(private readonly store: IdentityStore) {}

  @Post('exchange')
  @HttpCode(200)
  @UseGuards(ThrottlerGuard)
  @Throttle({ default: EXCHANGE_RATE_LIMIT })
  @ApiOperation({ summary: 'Trade a subject token for an access token', security: [] })
  @ApiErrors(
    ValidationFailedException,
    InvalidGrantException,
    SsoRequiredException,
    MfaRequiredException,
    RateLimitedException,
  )
  @ApiOkResponse({ description: 'The access token' })
  exchange(@JsonBody() body: ExchangeDto) {
    const subject = this.store.subjects.get(body.subject_token);
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
    return { access_token: accessToken, token_type: 'Bearer', expires_in: 3600 };
  }
}

type Identity = { workspace: string; scopes: readonly string[] };

/** The identity `AccessTokenGuard` resolved. */
const IdentityParam = createParamDecorator(
  (_: unknown, context: ExecutionContext) =>
    context.switchToHttp().getRequest<{ identity: Identity }>().identity,
);

/** `/v2/service-accounts` (reference-docs/002, `traced` errors). */
@Controller('v2/service-accounts')
@UseGuards(AccessTokenGuard)
@ApiTags(TAGS.identity)
@ApiBearerAuth(SECURITY.identityToken)
// AccessTokenGuard: a missing, unknown or expired access token.
@ApiErrors(UnauthorizedException)
export class ServiceAccountsController {
  constructor(private readonly store: IdentityStore) {}

  @Get()
  @ApiOperation({ summary: "The workspace's service accounts" })
  @ApiOkResponse({ description: 'The service accounts' })
  list(@IdentityParam() identity: Identity) {
    return [...this.store.serviceAccounts.values()]
      .filter((account) => account.workspace === identity.workspace)
      .map(({ id, name, scopes }) => ({ id, name, scopes }));
  }

  @Post()
  @ApiOperation({ summary: 'Create a service account (needs service_accounts:write)' })
  @ApiErrors(
    ValidationFailedException,
    ForbiddenException,
    UnprocessableEntityException,
    ConflictException,
  )
  @ApiCreatedResponse({ description: 'The service account' })
  create(@JsonBody() body: CreateServiceAccountDto, @IdentityParam() identity: Identity) {
    if (!identity.scopes.includes('service_accounts:write')) {
      throw new ForbiddenException('Valid token but insufficient scope for this operation');
    }
    const unknown = body.scopes.find((scope) => !(SCOPES as readonly string[]).includes(scope));
    if (unknown !== undefined) {
      throw new UnprocessableEntityException('Scopes must be ones this workspace grants');
    }
    const taken = [...this.store.serviceAccounts.values()].some(
      (account) => account.workspace === identity.workspace && account.name === body.name,
    );
    if (taken) {
      throw new ConflictException('A service account with this name already exists');
    }
    const account = {
      id: `sa_${randomUUID()}`,
      workspace: identity.workspace,
      name: body.name,
      scopes: body.scopes,
    };
    this.store.serviceAccounts.set(account.id, account);
    return { id: account.id, name: account.name, scopes: account.scopes };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A service account' })
  @ApiErrors(NotFoundException)
  @ApiOkResponse({ description: 'The service account' })
  get(@Param('id') id: string, @IdentityParam() identity: Identity) {
    const account = this.store.serviceAccounts.get(id);
    if (account === undefined || account.workspace !== identity.workspace) {
      throw new NotFoundException('The requested resource does not exist');
    }
    return { id: account.id, name: account.name, scopes: account.scopes };
  }
}

/** `/v2`: the identity / workspace API of reference-docs/002. */
@Module({
  controllers: [AuthExchangeController, ServiceAccountsController],
  providers: [IdentityStore, AccessTokenGuard],
})
export class IdentityApiModule {}
