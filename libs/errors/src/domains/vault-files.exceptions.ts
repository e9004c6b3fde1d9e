import { VaultFilesException } from './domain.bases.js';

// Codes, statuses and messages: "File errors" of the documented API the `timestamped` format
// reproduces (README § Formats). The 503s that describe the
// entry itself (not a storage outage) are not retryable: asking again gives the same answer.

/** `ENTRY_NOT_FOUND` 404: the requested file entry does not exist. */
export class EntryNotFoundException extends VaultFilesException.define({
  code: 'ENTRY_NOT_FOUND',
  status: 404,
  message: 'Requested file entry does not exist',
}) {}

/** `ENTRY_DELETED_ERROR` 404: the requested file entry has been deleted. */
export class EntryDeletedException extends VaultFilesException.define({
  code: 'ENTRY_DELETED_ERROR',
  status: 404,
  message: 'Requested file entry has been deleted',
}) {}

/** `INVALID_FLOW_EXECUTION` 400: the file request references an invalid flow execution. */
export class InvalidFlowExecutionException extends VaultFilesException.define({
  code: 'INVALID_FLOW_EXECUTION',
  status: 400,
  message: 'The file request references an invalid flow execution',
}) {}

/** `PRESIGNED_URL_GENERATION_FAILED` 503 (retryable, EXTERNAL_SERVICE): no download URL. */
export class PresignedUrlGenerationFailedException extends VaultFilesException.define({
  code: 'PRESIGNED_URL_GENERATION_FAILED',
  status: 503,
  message: 'Failed to generate download URL',
  category: 'EXTERNAL_SERVICE',
}) {}

/** `UPLOAD_FAILED` 503 (retryable, EXTERNAL_SERVICE): the upload to storage failed. */
export class UploadFailedException extends VaultFilesException.define({
  code: 'UPLOAD_FAILED',
  status: 503,
  message: 'File upload to storage failed',
  category: 'EXTERNAL_SERVICE',
}) {}

/** `ENTRY_IS_NOT_A_BINARY` 503 (not retryable): the entry is not a binary file. */
export class EntryIsNotABinaryException extends VaultFilesException.define({
  code: 'ENTRY_IS_NOT_A_BINARY',
  status: 503,
  message: 'Entry is not a binary file',
  retryable: false,
}) {}

/** `ENTRY_IS_NOT_A_DATA_BLOCK` 503 (not retryable): the entry is not a data block. */
export class EntryIsNotADataBlockException extends VaultFilesException.define({
  code: 'ENTRY_IS_NOT_A_DATA_BLOCK',
  status: 503,
  message: 'Entry is not a data block',
  retryable: false,
}) {}

/** `ENTRY_IS_WRONG_TYPE_OF_DATA_BLOCK` 503 (not retryable): a data block of the wrong type. */
export class EntryIsWrongTypeOfDataBlockException extends VaultFilesException.define({
  code: 'ENTRY_IS_WRONG_TYPE_OF_DATA_BLOCK',
  status: 503,
  message: 'Entry is a data block but of the wrong type',
  retryable: false,
}) {}

/** `ENTRY_ALREADY_ATTACHED` 503 (not retryable): the entry is already attached to a parent. */
export class EntryAlreadyAttachedException extends VaultFilesException.define({
  code: 'ENTRY_ALREADY_ATTACHED',
  status: 503,
  message: 'Entry is already attached to a parent',
  retryable: false,
}) {}

/** Every vault files class, in catalog order. */
export const VAULT_FILES_EXCEPTIONS = [
  EntryNotFoundException,
  EntryDeletedException,
  InvalidFlowExecutionException,
  PresignedUrlGenerationFailedException,
  UploadFailedException,
  EntryIsNotABinaryException,
  EntryIsNotADataBlockException,
  EntryIsWrongTypeOfDataBlockException,
  EntryAlreadyAttachedException,
] as const;
