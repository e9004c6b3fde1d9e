import { describe, expect, it } from 'vitest';
import { ApiException } from '../core/api.exception.js';
import { catalogDocument, parseCatalog, renderCatalog } from './error-catalog.json.js';

abstract class OrdersException extends ApiException {
  static override readonly domain: string = 'orders';
}
class OrderLockedException extends OrdersException.define({
  code: 'ORDER_LOCKED',
  status: 409,
  message: 'Order {orderId} is locked by {user}',
  deprecated: 'use ORDER_HELD',
}) {}
class OrderMissingException extends OrdersException.define({
  code: 'ORDER_MISSING',
  status: 404,
  message: 'Order not found',
}) {}

describe('the catalog file', () => {
  it('one line per code, sorted by code, every member present', () => {
    const text = renderCatalog(catalogDocument([OrderMissingException, OrderLockedException]));
    expect(text).toBe(
      [
        '{',
        '  "catalog": "nest-api-errors",',
        '  "version": 1,',
        '  "errors": [',
        '    {"code":"ORDER_LOCKED","status":409,"category":"CONFLICT","retryable":false,"message":"Order {orderId} is locked by {user}","fields":["orderId","user"],"class":"OrderLockedException","domain":"orders","deprecated":"use ORDER_HELD"},',
        '    {"code":"ORDER_MISSING","status":404,"category":"NOT_FOUND","retryable":false,"message":"Order not found","fields":[],"class":"OrderMissingException","domain":"orders","deprecated":null}',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
    expect(parseCatalog(text, 'c.json')).toEqual(
      catalogDocument([OrderLockedException, OrderMissingException]),
    );
    expect(renderCatalog(catalogDocument([]))).toBe(
      '{\n  "catalog": "nest-api-errors",\n  "version": 1,\n  "errors": []\n}\n',
    );
  });

  it('refuses two classes declaring one code', () => {
    class OtherLockedException extends ApiException.define({
      code: 'ORDER_LOCKED',
      status: 423,
      message: 'Locked',
    }) {}
    expect(() => catalogDocument([OrderLockedException, OtherLockedException])).toThrow(
      'code ORDER_LOCKED is declared by OrderLockedException and OtherLockedException',
    );
  });

  const valid = JSON.parse(renderCatalog(catalogDocument([OrderMissingException]))) as {
    errors: Record<string, unknown>[];
  };
  const withEntry = (entry: Record<string, unknown>) =>
    JSON.stringify({ ...valid, errors: [entry] });

  it.each([
    ['{"errors": [', 'base.json is not a catalog: not JSON ('],
    [
      '[]',
      'base.json is not a nest-api-errors catalog (nest-api-errors catalog --out FILE writes one)',
    ],
    ['{"name": "app", "version": "1.0.0"}', 'base.json is not a nest-api-errors catalog'],
    [
      '{"catalog": "nest-api-errors", "version": 2, "errors": []}',
      'base.json is a catalog of version 2; this nest-api-errors reads version 1',
    ],
    [
      '{"catalog": "nest-api-errors", "version": 1, "errors": {}}',
      'base.json is not a catalog: "errors" is not a list',
    ],
    [
      withEntry({ ...valid.errors[0], status: '404' }),
      'base.json is not a catalog: errors[0] has an invalid "status"',
    ],
    [
      withEntry({ ...valid.errors[0], category: 'GONE' }),
      'base.json is not a catalog: errors[0] has an invalid "category"',
    ],
    [
      withEntry({ ...valid.errors[0], deprecated: undefined }),
      'base.json is not a catalog: errors[0] has no "deprecated"',
    ],
    [
      JSON.stringify({ ...valid, errors: [valid.errors[0], valid.errors[0]] }),
      'base.json is not a catalog: code ORDER_MISSING appears twice',
    ],
  ])('refuses %s in one line', (text, reason) => {
    expect(() => parseCatalog(text, 'base.json')).toThrow(reason);
  });
});
