// nest-api-errors/testing: helpers for your e2e tests.
export {
  expectApiError,
  type ExpectApiErrorOptions,
  type ExpectedApiError,
  type ResponseLike,
} from './expect-api-error.js';
