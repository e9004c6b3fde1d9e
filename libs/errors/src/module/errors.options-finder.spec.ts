import { Controller, Get, Module, UnauthorizedException, forwardRef } from '@nestjs/common';
import { ApiErrors } from '../docs/api-errors.decorator.js';
import { AgentNotFoundException } from '../domains/agents.exceptions.js';
import { RateLimitedException } from '../domains/common.exceptions.js';
import { EntryNotFoundException } from '../domains/vault-files.exceptions.js';
import { describe, expect, it } from 'vitest';
import { ErrorsModule } from './errors.module.js';
import {
  appErrorsIn,
  declaredErrorClassesIn,
  errorsModuleOptionsIn,
} from './errors.options-finder.js';

const ROUTES = [{ path: '/v2', format: 'traced' }] as const;

describe('errorsModuleOptionsIn (the CLI reading an app module)', () => {
  it('finds forRoot options in a module imported by the exported one, through forwardRef', () => {
    @Module({ imports: [ErrorsModule.forRoot({ format: 'envelope', routes: ROUTES })] })
    class CoreModule {}
    @Module({ imports: [forwardRef(() => CoreModule)] })
    class AppModule {}
    expect(errorsModuleOptionsIn([{ AppModule, unrelated: 42 }])).toEqual({
      format: 'envelope',
      routes: ROUTES,
    });
  });

  it('finds them inside a dynamic module of the app', () => {
    @Module({})
    class FeatureModule {}
    const dynamic = {
      module: FeatureModule,
      imports: [ErrorsModule.forRoot({ format: 'problem' })],
    };
    @Module({ imports: [dynamic] })
    class AppModule {}
    expect(errorsModuleOptionsIn([{}, { AppModule }])).toEqual({ format: 'problem' });
  });

  it('undefined for forRootAsync (options exist only at run time) and without ErrorsModule', () => {
    @Module({ imports: [ErrorsModule.forRootAsync({ useFactory: () => ({ format: 'simple' }) })] })
    class AsyncModule {}
    @Module({})
    class PlainModule {}
    expect(errorsModuleOptionsIn([{ AsyncModule }])).toBeUndefined();
    expect(errorsModuleOptionsIn([{ PlainModule }, undefined, 'text'])).toBeUndefined();
  });

  it('a module that imports itself (a cycle) ends', () => {
    @Module({ imports: [forwardRef(() => LoopModule)] })
    class LoopModule {}
    expect(errorsModuleOptionsIn([{ LoopModule }])).toBeUndefined();
  });

  it("collects the typed classes every controller of the app's modules declares with ApiErrors", () => {
    @Controller('agents')
    @ApiErrors(RateLimitedException, UnauthorizedException)
    class AgentsController {
      @Get(':id')
      @ApiErrors(AgentNotFoundException)
      get() {}
    }
    @Controller('files')
    class FilesController {
      @Get(':id')
      @ApiErrors(EntryNotFoundException, AgentNotFoundException)
      get() {}
    }
    @Module({ controllers: [FilesController] })
    class FilesModule {}
    @Module({ imports: [{ module: FilesModule }], controllers: [AgentsController] })
    class AppModule {}
    // Nest's own UnauthorizedException has no catalog row: left out.
    expect(declaredErrorClassesIn([{ AppModule }])).toEqual([
      RateLimitedException,
      AgentNotFoundException,
      EntryNotFoundException,
    ]);
    expect(appErrorsIn([{ AppModule }])).toEqual({
      format: undefined,
      routes: undefined,
      docsBaseUrl: undefined,
      declared: [RateLimitedException, AgentNotFoundException, EntryNotFoundException],
    });
    @Module({})
    class EmptyModule {}
    expect(appErrorsIn([{ EmptyModule }])).toBeUndefined();
  });
});
