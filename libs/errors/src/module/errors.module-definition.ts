import { ConfigurableModuleBuilder } from '@nestjs/common';
import { ERRORS_MODULE_OPTIONS } from './errors.constants.js';
import type { ErrorsModuleOptions } from './errors-options.interface.js';

export const {
  ConfigurableModuleClass: ConfigurableErrorsModule,
  OPTIONS_TYPE: ERRORS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: ERRORS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ErrorsModuleOptions>({
  moduleName: 'Errors',
  optionsInjectionToken: ERRORS_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createErrorsOptions')
  // One error contract per application: the filter and pipe are global whatever module imports it.
  .setExtras({}, (definition) => ({ ...definition, global: true }))
  .build();
