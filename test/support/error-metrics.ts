import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';

/** One data point of the `api.errors` counter. */
export interface ErrorCount {
  attributes: Record<string, unknown>;
  value: unknown;
}

/**
 * The OpenTelemetry metrics SDK with its in-memory exporter, registered as the global
 * MeterProvider (before the apps under test start, as an app's telemetry setup runs first).
 */
export function registerMeterProvider() {
  // Delta: each read gives what was counted since the previous one.
  const exporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(provider);
  return {
    /** What `api.errors` counted since the last call. */
    async errorCounts(): Promise<ErrorCount[]> {
      await reader.forceFlush();
      const counts = exporter
        .getMetrics()
        .flatMap((resource) => resource.scopeMetrics)
        .flatMap((scope) => scope.metrics)
        .filter((metric) => metric.descriptor.name === 'api.errors')
        .flatMap((metric) =>
          metric.dataPoints.map((point) => ({ attributes: point.attributes, value: point.value })),
        );
      exporter.reset();
      return counts;
    },
    async unregister(): Promise<void> {
      metrics.disable();
      await provider.shutdown();
    },
  };
}
