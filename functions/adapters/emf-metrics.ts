/**
 * CloudWatch metrics in the Embedded Metric Format: JSON lines on stdout that Lambda's log agent
 * turns into metrics, with no client and no call on the audit's path. The stack's alarms read them
 * (cdk/constructs/self-monitoring.ts): `AuditSucceeded` (a missed audit), and per resource
 * `FreshnessAgeSeconds` against its `FreshnessRpoSeconds` (a freshness breach).
 */
import type { AuditReport } from '#shared/application/run-audit.ts';

/** The namespace of every Standby metric. */
export const METRIC_NAMESPACE = 'Standby';

/** Metric and dimension names, shared with the alarms that read them. */
export const Metrics = {
  auditSucceeded: 'AuditSucceeded',
  age: 'FreshnessAgeSeconds',
  rpo: 'FreshnessRpoSeconds',
  /** Dimension: the region of the controller that audited. */
  controller: 'Controller',
  app: 'App',
  resource: 'Resource',
} as const;

type Unit = 'Count' | 'Seconds';

/** One EMF document: the values at the top level, described by `_aws`. */
function emf(
  at: Date,
  dimensions: Record<string, string>,
  values: Record<string, { value: number; unit: Unit }>,
): string {
  return JSON.stringify({
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [Object.keys(dimensions)],
          Metrics: Object.entries(values).map(([Name, v]) => ({ Name, Unit: v.unit })),
        },
      ],
    },
    ...dimensions,
    ...Object.fromEntries(Object.entries(values).map(([name, v]) => [name, v.value])),
  });
}

/**
 * The EMF lines of a successful audit: one `AuditSucceeded` of the controller, then for each resource
 * its RPO and, when a counting point exists, its age (a missing age leaves the breach alarm without
 * data, which it treats as breaching: no point is no freshness).
 */
export function auditMetricLines(report: AuditReport, controllerRegion: string): string[] {
  const at = new Date(report.generatedAt);
  return [
    emf(
      at,
      { [Metrics.controller]: controllerRegion },
      { [Metrics.auditSucceeded]: { value: 1, unit: 'Count' } },
    ),
    ...report.apps.flatMap((app) =>
      app.freshness.map((f) =>
        emf(
          at,
          { [Metrics.app]: app.name, [Metrics.resource]: f.resource },
          {
            [Metrics.rpo]: { value: f.rpoSeconds, unit: 'Seconds' },
            ...(f.ageSeconds === null ? {} : { [Metrics.age]: { value: f.ageSeconds, unit: 'Seconds' } }),
          },
        ),
      ),
    ),
  ];
}

/** Writes metric lines where Lambda's log agent reads them. */
export class EmfMetrics {
  constructor(
    private readonly region: string,
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  /** Records a successful audit and the freshness it found. */
  auditSucceeded(report: AuditReport): void {
    for (const line of auditMetricLines(report, this.region)) this.write(line);
  }
}
