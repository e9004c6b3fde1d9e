import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiError } from './api-error.interface.js';
import { createErrorCounter, errorMetricAttributes, type MetricsApi } from './error.metrics.js';
import { loadOpenTelemetry } from './error.telemetry.js';

const api = loadOpenTelemetry<MetricsApi>(undefined)!;

describe('the api.errors counter', () => {
  afterEach(() => metrics.disable());

  it('is not created while no MeterProvider is registered (the no-op meter)', () => {
    expect(createErrorCounter(api)).toBeUndefined();
    expect(createErrorCounter({})).toBeUndefined();
  });

  it("counts on the registered provider's meter, named api.errors with unit {error}", async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({ readers: [reader] });
    metrics.setGlobalMeterProvider(provider);
    const counter = createErrorCounter(api)!;
    const attributes = errorMetricAttributes(
      { status: 404, code: 'ENTRY_NOT_FOUND', category: 'NOT_FOUND' } as ApiError,
      '/files/:id',
    );
    counter.add(1, attributes);
    counter.add(1, attributes);
    await reader.forceFlush();
    const [scope] = exporter.getMetrics().at(-1)!.scopeMetrics;
    expect(scope!.scope.name).toBe('nest-api-errors');
    const [metric] = scope!.metrics;
    expect(metric!.descriptor).toMatchObject({ name: 'api.errors', unit: '{error}' });
    expect(metric!.dataPoints.map((point) => [point.attributes, point.value])).toEqual([
      [
        {
          'error.type': 'ENTRY_NOT_FOUND',
          'http.response.status_code': 404,
          'http.route': '/files/:id',
          'error.category': 'NOT_FOUND',
        },
        2,
      ],
    ]);
    await provider.shutdown();
  });

  it('names a generic error by its generic code, and leaves http.route out without a route', () => {
    expect(
      errorMetricAttributes(
        { status: 503, code: undefined, category: 'INTERNAL' } as ApiError,
        undefined,
      ),
    ).toEqual({
      'error.type': 'SERVICE_UNAVAILABLE',
      'http.response.status_code': 503,
      'error.category': 'INTERNAL',
    });
  });
});
