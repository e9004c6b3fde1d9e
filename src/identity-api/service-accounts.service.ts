import {
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CreateServiceAccountDto } from './identity-api.dto.js';
import { type Identity, IdentityStore, SCOPES, type ServiceAccount } from './identity-api.store.js';

/**
 * A workspace's service accounts (README § `/v2`). The `/v2` API documents its errors as generic
 * HTTP ones (403, 404, 409, 422), so they carry the code of their status.
 */
@Injectable()
export class ServiceAccountsService {
  constructor(private readonly store: IdentityStore) {}

  list(identity: Identity): ServiceAccount[] {
    return [...this.store.serviceAccounts.values()].filter(
      (account) => account.workspace === identity.workspace,
    );
  }

  /** Needs `service_accounts:write`, scopes the workspace grants, and a name new to it. */
  create(identity: Identity, input: CreateServiceAccountDto): ServiceAccount {
    if (!identity.scopes.includes('service_accounts:write')) {
      throw new ForbiddenException('Valid token but insufficient scope for this operation');
    }
    const unknown = input.scopes.find((scope) => !(SCOPES as readonly string[]).includes(scope));
    if (unknown !== undefined) {
      throw new UnprocessableEntityException('Scopes must be ones this workspace grants');
    }
    const taken = [...this.store.serviceAccounts.values()].some(
      (account) => account.workspace === identity.workspace && account.name === input.name,
    );
    if (taken) {
      throw new ConflictException('A service account with this name already exists');
    }
    const account = {
      id: `sa_${randomUUID()}`,
      workspace: identity.workspace,
      name: input.name,
      scopes: input.scopes,
    };
    this.store.serviceAccounts.set(account.id, account);
    return account;
  }

  /** Another workspace's account is as unknown as one that does not exist. */
  get(identity: Identity, id: string): ServiceAccount {
    const account = this.store.serviceAccounts.get(id);
    if (account === undefined || account.workspace !== identity.workspace) {
      throw new NotFoundException('The requested resource does not exist');
    }
    return account;
  }
}
