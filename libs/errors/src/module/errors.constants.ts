/** Injection token of the `ErrorsModuleOptions` given to `forRoot`/`forRootAsync`. */
export const ERRORS_MODULE_OPTIONS = Symbol('ERRORS_MODULE_OPTIONS');
