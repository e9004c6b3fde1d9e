import { Inject, Injectable } from '@nestjs/common';
import { ApplicationConfig, ModulesContainer } from '@nestjs/core';
import { type ErrorDocumentation, documentControllerErrors } from '../docs/api-errors.decorator.js';
import { ERRORS_SETTINGS, type ErrorsSettings, httpFormatFor } from './errors.settings.js';

/**
 * Tells `ApiErrors` which format this application's errors use, controller by controller. Built
 * while the application is created, so the OpenAPI document (`SwaggerModule.createDocument`, which
 * runs before `listen`) already sees it, and scoped to this application's controllers, so two
 * applications in one process keep their own examples. The global prefix is read only when the
 * document is built: `app.setGlobalPrefix()` runs after the application is created.
 */
@Injectable()
export class ErrorsDocumentation {
  constructor(
    @Inject(ERRORS_SETTINGS) settings: ErrorsSettings,
    modules: ModulesContainer,
    config: ApplicationConfig,
  ) {
    const documentation: ErrorDocumentation = {
      formatFor: (path) => httpFormatFor(settings, path),
      globalPrefix: () => config.getGlobalPrefix(),
      docsBaseUrl: settings.docsBaseUrl,
    };
    for (const module of modules.values()) {
      for (const wrapper of module.controllers.values()) {
        if (typeof wrapper.metatype === 'function') {
          documentControllerErrors(wrapper.metatype, documentation);
        }
      }
    }
  }
}
