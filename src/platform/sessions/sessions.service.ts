import { Injectable, NotFoundException } from '@nestjs/common';
import {
  InvalidClientException,
  RedirectNotAllowedException,
  UnauthorizedAccessException,
  VaultEntryDeletedException,
  VaultEntryNotFoundException,
} from 'nest-api-errors';
import { type Principal, type Session, PlatformStore } from '../data/platform.store.js';
import type { CreateSessionDto } from './create-session.dto.js';

@Injectable()
export class SessionsService {
  constructor(private readonly store: PlatformStore) {}

  create(principal: Principal, input: CreateSessionDto): Session {
    const client = this.store.clients.get(input.client_id);
    // The `/api/v1` API folds three cases into INVALID_CLIENT: unknown, someone else's, or no
    // redirect URLs configured at all.
    if (
      client === undefined ||
      client.organizationId !== principal.organizationId ||
      client.allowedRedirectUrls.length === 0
    ) {
      throw new InvalidClientException();
    }
    if (!client.allowedRedirectUrls.includes(input.redirect_url)) {
      throw new RedirectNotAllowedException();
    }
    const vaultEntryIds = input.vault_entry_ids ?? [];
    for (const id of vaultEntryIds) {
      const entry = this.store.vaultEntries.get(id);
      if (entry === undefined || entry.organizationId !== principal.organizationId) {
        throw new VaultEntryNotFoundException();
      }
      if (entry.deletedAt !== undefined) {
        throw new VaultEntryDeletedException();
      }
    }
    const session: Session = {
      id: this.store.newId(),
      clientId: client.id,
      organizationId: principal.organizationId,
      environment: principal.environment,
      redirectUrl: input.redirect_url,
      vaultEntryIds,
      createdAt: new Date().toISOString(),
    };
    this.store.sessions.set(session.id, session);
    return session;
  }

  /** The sessions of the caller's organization in the caller's environment. */
  list(principal: Principal): Session[] {
    return [...this.store.sessions.values()].filter(
      (session) =>
        session.organizationId === principal.organizationId &&
        session.environment === principal.environment,
    );
  }

  get(principal: Principal, id: string): Session {
    const session = this.store.sessions.get(id);
    if (session === undefined) {
      throw new NotFoundException('Session not found');
    }
    if (
      session.organizationId !== principal.organizationId ||
      session.environment !== principal.environment
    ) {
      throw new UnauthorizedAccessException();
    }
    return session;
  }
}
