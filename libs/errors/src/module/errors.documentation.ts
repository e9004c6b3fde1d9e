import { Inject, Injectable } from '@nestjs/common';
import { ApplicationConfig, ModulesContainer } from '@nestjs/core';
import { type ErrorDocumentation, documentControllerErrors } from '../docs/api-errors.decorator.js';
import { ErrorFormatResolver } from './error-format.resolver.js';
import { ERRORS_SETTINGS, type ErrorsSettings } from './errors.settings.js';

/**
 * Tells `ApiErrors` how this application answers errors, controller by controller: the format of
 * a route (through the one resolver the errors themselves use), the redaction of its examples and
 * the docs link. Built while the application is created, so the OpenAPI document
 * (`SwaggerModule.createDocument`, which runs before `listen`) already sees it, and scoped to this
 * application's controllers, so two applications in one process keep their own examples. The
 * global prefix is read only when the document is built: `app.setGlobalPrefix()` runs after the
 * application is created.
 */
@Injectable()
export class ErrorsDocumentation {
  constructor(
    @Inject(ERRORS_SETTINGS) settings: ErrorsSettings,
    formats: ErrorFormatResolver,
    modules: ModulesContainer,
    config: ApplicationConfig,
  ) {
    const documentation: ErrorDocumentation = {
      formatOf: (handler, controller, path) =>
        formats.forRoute(formats.declared(handler, controller), path),
      globalPrefix: () => config.getGlobalPrefix(),
      docsBaseUrl: settings.docsBaseUrl,
      redaction: settings.normalize,
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
