/** Injection token of the `ErrorsModuleOptions` given to `forRoot`/`forRootAsync`. */
export const ERRORS_MODULE_OPTIONS = Symbol('ERRORS_MODULE_OPTIONS');

/** Default header that carries the request id both ways. */
export const DEFAULT_REQUEST_ID_HEADER = 'x-request-id';
