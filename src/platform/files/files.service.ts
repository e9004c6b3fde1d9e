import { Inject, Injectable } from '@nestjs/common';
import {
  EntryAlreadyAttachedException,
  EntryDeletedException,
  EntryIsNotABinaryException,
  EntryIsNotADataBlockException,
  EntryIsWrongTypeOfDataBlockException,
  EntryNotFoundException,
  InvalidFlowExecutionException,
  PresignedUrlGenerationFailedException,
  UploadFailedException,
} from 'nest-api-errors';
import { type Principal, PlatformStore, type VaultEntry } from '../data/platform.store.js';
import { FILE_STORAGE, type FileStorage } from './file-storage.js';
import type { AttachFileDto, UploadFileDto } from './files.dto.js';

const DOWNLOAD_URL_TTL_SECONDS = 300;

@Injectable()
export class FilesService {
  constructor(
    private readonly store: PlatformStore,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
  ) {}

  /** A live entry of the caller's organization; another organization's entry does not exist for it. */
  get(principal: Principal, id: string): VaultEntry {
    const entry = this.store.vaultEntries.get(id);
    if (entry === undefined || entry.organizationId !== principal.organizationId) {
      throw new EntryNotFoundException();
    }
    if (entry.deletedAt !== undefined) {
      throw new EntryDeletedException();
    }
    return entry;
  }

  /** The caller's organization's entries, without the deleted ones (kept only to answer ENTRY_DELETED_ERROR). */
  list(principal: Principal): VaultEntry[] {
    return [...this.store.vaultEntries.values()].filter(
      (entry) => entry.organizationId === principal.organizationId && entry.deletedAt === undefined,
    );
  }

  /** `content`: the file's bytes, from a multipart upload or a JSON one's `content_base64`. */
  async upload(
    principal: Principal,
    input: Pick<UploadFileDto, 'flow_execution_id' | 'name'>,
    content: Buffer,
  ): Promise<VaultEntry> {
    const execution = this.store.flowExecutions.get(input.flow_execution_id);
    if (
      execution === undefined ||
      execution.organizationId !== principal.organizationId ||
      execution.status !== 'running'
    ) {
      throw new InvalidFlowExecutionException();
    }
    const entry: VaultEntry = {
      id: this.store.newId(),
      organizationId: principal.organizationId,
      name: input.name,
      kind: 'binary',
      content: content.toString('base64'),
    };
    try {
      await this.storage.put(entry.id, content);
    } catch (cause) {
      // Retryable 503; the storage error itself goes to the log only.
      throw new UploadFailedException({ cause, retryAfterSeconds: 5 });
    }
    this.store.vaultEntries.set(entry.id, entry);
    return entry;
  }

  async downloadUrl(principal: Principal, id: string): Promise<string> {
    const entry = this.get(principal, id);
    if (entry.kind !== 'binary') {
      throw new EntryIsNotABinaryException();
    }
    try {
      return await this.storage.presign(entry.id, DOWNLOAD_URL_TTL_SECONDS);
    } catch (cause) {
      throw new PresignedUrlGenerationFailedException({ cause });
    }
  }

  dataBlock(principal: Principal, id: string, expectedType: string | undefined): VaultEntry {
    const entry = this.get(principal, id);
    if (entry.kind !== 'data-block') {
      throw new EntryIsNotADataBlockException();
    }
    if (expectedType !== undefined && entry.dataBlockType !== expectedType) {
      throw new EntryIsWrongTypeOfDataBlockException();
    }
    return entry;
  }

  attach(principal: Principal, id: string, input: AttachFileDto): VaultEntry {
    const entry = this.get(principal, id);
    const parent = this.get(principal, input.parent_id);
    if (entry.parentId !== undefined) {
      throw new EntryAlreadyAttachedException();
    }
    entry.parentId = parent.id;
    return entry;
  }

  delete(principal: Principal, id: string): void {
    this.get(principal, id).deletedAt = new Date().toISOString();
  }
}
