import {
  Controller,
  Delete,
  Get,
  HttpCode,
  InternalServerErrorException,
  NotFoundException,
  Param,
  Post,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
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
  UserNotFoundException,
  ValidationFailedException,
} from 'nest-api-errors';
import { JsonBody } from '../common/json-body.decorator.js';
import { TAGS } from '../openapi.js';
import { Authenticated, JWT_ERRORS } from './authenticated.decorator.js';
import { Cookie } from './cookie.decorator.js';
import { CurrentClaims } from './current-claims.decorator.js';
import { REFRESH_COOKIE, type ResponseLike, setRefreshCookie } from './dashboard-api.cookies.js';
import {
  AddMemberDto,
  LoginDto,
  RegisterDto,
  TokenDto,
  TranslateDto,
} from './dashboard-api.dto.js';
import { DashboardService } from './dashboard-api.service.js';
import type { Claims } from './jwt.token.js';
import { ApiTenantHeader, TENANT_ERRORS, TenantId } from './tenant-id.decorator.js';

/**
 * `/api/dashboard`: the product-tours dashboard (README § `/api/dashboard`, `envelope` errors).
 * Each handler maps HTTP (body, cookies, `x-tenant-id`, status) to `DashboardService`, and
 * declares what it can answer for the OpenAPI document.
 */
@Controller('api/dashboard')
@ApiTags(TAGS.dashboard)
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with email and password', security: [] })
  @ApiErrors(
    ValidationFailedException,
    AuthProviderMismatchException,
    AuthInvalidCredentialsException,
  )
  @ApiOkResponse({ description: 'The access token; the refresh token in a cookie' })
  login(@JsonBody() body: LoginDto, @Res({ passthrough: true }) response: ResponseLike) {
    const { accessToken, refreshToken } = this.dashboard.login(body.email, body.password);
    setRefreshCookie(response, refreshToken);
    return { access_token: accessToken };
  }

  @Post('auth/refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new access token for the refresh_token cookie', security: [] })
  @ApiErrors(AuthNoRefreshTokenException, AuthInvalidRefreshTokenException)
  @ApiOkResponse({ description: 'The access token' })
  refresh(@Cookie(REFRESH_COOKIE) refreshToken: string | undefined) {
    return { access_token: this.dashboard.refresh(refreshToken) };
  }

  @Post('auth/logout')
  @HttpCode(204)
  @Authenticated()
  @ApiOperation({ summary: 'Revoke the access token' })
  @ApiErrors(...JWT_ERRORS)
  @ApiNoContentResponse({ description: 'Revoked' })
  logout(@CurrentClaims() claims: Claims): void {
    this.dashboard.logout(claims);
  }

  @Get('me')
  @Authenticated()
  @ApiOperation({ summary: 'The logged-in user' })
  @ApiErrors(...JWT_ERRORS)
  @ApiOkResponse({ description: 'The user' })
  me(@CurrentClaims() claims: Claims) {
    return this.dashboard.me(claims);
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
    const tenant = await this.dashboard.register(body.email, body.company);
    return { tenant_id: tenant.id };
  }

  @Post('invites/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept an invitation', security: [] })
  @ApiErrors(ValidationFailedException, InvalidInviteTokenException)
  @ApiOkResponse({ description: 'Accepted' })
  acceptInvite(@JsonBody() body: TokenDto) {
    this.dashboard.acceptInvite(body.token);
    return { accepted: true };
  }

  @Post('password-reset')
  @HttpCode(204)
  @ApiOperation({ summary: 'Reset a password with a reset token', security: [] })
  @ApiErrors(ValidationFailedException, InvalidResetTokenException)
  @ApiNoContentResponse({ description: 'Reset' })
  resetPassword(@JsonBody() body: TokenDto): void {
    this.dashboard.resetPassword(body.token);
  }

  @Get('users')
  @Authenticated()
  @ApiOperation({ summary: "The company's users" })
  @ApiTenantHeader()
  @ApiErrors(...TENANT_ERRORS)
  @ApiOkResponse({ description: 'The users' })
  users(@CurrentClaims() claims: Claims, @TenantId() tenantId: string) {
    return this.dashboard.users(claims, tenantId);
  }

  @Get('users/:id')
  @Authenticated()
  @ApiOperation({ summary: 'A user of the company' })
  @ApiTenantHeader()
  @ApiErrors(...TENANT_ERRORS, UserNotFoundException)
  @ApiOkResponse({ description: 'The user' })
  user(@CurrentClaims() claims: Claims, @TenantId() tenantId: string, @Param('id') id: string) {
    return this.dashboard.user(claims, tenantId, id);
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
    return this.dashboard.addMember(claims, tenantId, body.email);
  }

  @Get('audiences')
  @Authenticated()
  @ApiOperation({ summary: "The company's audiences" })
  @ApiTenantHeader()
  @ApiErrors(...TENANT_ERRORS)
  @ApiOkResponse({ description: 'The audiences' })
  audiences(@CurrentClaims() claims: Claims, @TenantId() tenantId: string) {
    return this.dashboard.audiences(claims, tenantId);
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
    this.dashboard.deleteAudience(claims, tenantId, id);
  }

  @Get('contents')
  @Authenticated()
  @ApiOperation({ summary: "The company's tours, tooltips and surveys" })
  @ApiTenantHeader()
  @ApiErrors(...TENANT_ERRORS)
  @ApiOkResponse({ description: 'The contents' })
  contents(@CurrentClaims() claims: Claims, @TenantId() tenantId: string) {
    return this.dashboard.contents(claims, tenantId);
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
  translate(
    @CurrentClaims() claims: Claims,
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @JsonBody() body: TranslateDto,
  ) {
    // `de` when the body names no locale.
    return this.dashboard.translate(claims, tenantId, id, body.locale ?? 'de');
  }
}
