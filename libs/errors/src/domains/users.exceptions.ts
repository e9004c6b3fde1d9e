import { UsersException } from './domain.bases.js';

// Messages: "User" of the documented API the `simple` format reproduces, and the documented API
// the `envelope` format reproduces (README § Formats).

/** `USER_NAME_INVALID` 400: User name must be 1-255 characters. */
export class UserNameInvalidException extends UsersException.define({
  code: 'USER_NAME_INVALID',
  status: 400,
  message: 'User name must be 1-255 characters',
}) {}

/** `USER_NOT_FOUND` 404: the referenced user does not exist. */
export class UserNotFoundException extends UsersException.define({
  code: 'USER_NOT_FOUND',
  status: 404,
  message: 'Referenced user does not exist',
}) {}

/** Every users class, in catalog order. */
export const USERS_EXCEPTIONS = [UserNameInvalidException, UserNotFoundException] as const;
