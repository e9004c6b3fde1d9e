import { Inject, Injectable } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { documentControllerErrors } from '../docs/api-errors.decorator.js';
import { ERRORS_SETTINGS, type ErrorsSettings } from './errors.settings.js';

/**
 * Tells `ApiErrors` which format this application's errors use, controller by controller. Built
 * while the application is created, so the OpenAPI document (`SwaggerModule.createDocument`, which
 * runs before `listen`) already sees it, and scoped to this application's controllers, so two
 * applications in one process keep their own examples.
 */
@Injectable()
export class ErrorsDocumentation {
  constructor(@Inject(ERRORS_SETTINGS) settings: ErrorsSettings, modules: ModulesContainer) {
    const documentation = { format: settings.format, docsBaseUrl: settings.docsBaseUrl };
    for (const module of modules.values()) {
      for (const wrapper of module.controllers.values()) {
        if (typeof wrapper.metatype === 'function') {
          documentControllerErrors(wrapper.metatype, documentation);
        }
      }
    }
  }
}
