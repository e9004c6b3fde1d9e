import { describe, expect, it } from 'vitest';
import type { ErrorMapper } from '../core/error.mapping.js';
import { defaultErrorMappers } from '../mappers/error-mappers.js';
import type { ErrorsModuleOptions } from './errors-options.interface.js';
import { resolveErrorsSettings } from './errors.settings.js';

describe('resolveErrorsSettings: mappers', () => {
  it('defaults to defaultErrorMappers; [] turns mapping off', () => {
    expect(resolveErrorsSettings().normalize.mappers).toBe(defaultErrorMappers);
    expect(resolveErrorsSettings({ mappers: [] }).normalize.mappers).toEqual([]);
  });

  it('keeps a frozen copy of the list, so a later push changes nothing', () => {
    const own: ErrorMapper = () => undefined;
    const mappers = [own, ...defaultErrorMappers];
    const resolved = resolveErrorsSettings({ mappers }).normalize.mappers!;
    mappers.length = 0;
    expect(resolved).toEqual([own, ...defaultErrorMappers]);
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it.each([[[42]], [[undefined]], ['prismaErrors'], [{}]])('refuses %j at start-up', (mappers) => {
    expect(() => resolveErrorsSettings({ mappers } as unknown as ErrorsModuleOptions)).toThrow(
      'ErrorsModule mappers: a list of functions, (thrown) => replacement | undefined, e.g. [myMapper, ...defaultErrorMappers]',
    );
  });
});
