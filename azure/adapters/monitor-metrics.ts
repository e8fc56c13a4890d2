/**
 * Freshness as Azure Monitor custom metrics, on the Function App's own resource (namespace
 * `Standby`), sent with the REST ingestion API: `POST https://{region}.monitoring.azure.com{resourceId}/metrics`
 * with a managed-identity token for `https://monitoring.azure.com/` (role *Monitoring Metrics
 * Publisher* on the app). One request per metric:
 *
 * - `BackupAgeSeconds` (App, Resource): the newest counting point's age, for resources that have one;
 * - `ResourcesNeedingAttention` (App): how many resources the audit alerted on — 0 when all is well;
 * - `AuditCompleted`: 1 per audit, so "no audit for a while" is visible and can be alerted on.
 *
 * Charts and alert rules then work on them as on any platform metric.
 */
import type { HttpClient } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import type { AuditReport } from '#shared/application/run-audit.ts';
import { parseAzureId } from '#shared/domain/identifiers.ts';
import { BearerJsonPost } from './bearer-json-post.ts';

/** The AAD scope of the custom metrics ingestion API. */
export const MONITOR_METRICS_SCOPE = 'https://monitoring.azure.com/.default';
/** The metric namespace Standby writes. */
export const METRIC_NAMESPACE = 'Standby';

/** One custom-metric document of the ingestion API. */
export interface CustomMetricDocument {
  readonly time: string;
  readonly data: {
    readonly baseData: {
      readonly metric: string;
      readonly namespace: string;
      readonly dimNames?: readonly string[];
      readonly series: readonly {
        readonly dimValues?: readonly string[];
        readonly min: number;
        readonly max: number;
        readonly sum: number;
        readonly count: number;
      }[];
    };
  };
}

/** What {@link MonitorMetricsPublisher} is built from. */
export interface MonitorMetricsOptions {
  /** The resource the metrics are about: the Function App's ARM id. */
  readonly resourceId: string;
  /** Its region, e.g. `northeurope` (the ingestion endpoint is regional). */
  readonly region: string;
  readonly credential: TokenCredential;
  /** The transport; Node's HTTPS by default. */
  readonly httpClient?: HttpClient;
}

const single = (value: number, dimValues?: string[]) => ({
  ...(dimValues ? { dimValues } : {}),
  min: value,
  max: value,
  sum: value,
  count: 1,
});

/** The metric documents one audit becomes (series without data are left out). */
export function freshnessMetrics(report: AuditReport): CustomMetricDocument[] {
  const time = report.generatedAt;
  const doc = (metric: string, dimNames: string[] | undefined, series: ReturnType<typeof single>[]) => ({
    time,
    data: { baseData: { metric, namespace: METRIC_NAMESPACE, ...(dimNames ? { dimNames } : {}), series } },
  });
  const ages = report.apps.flatMap((a) =>
    a.freshness.flatMap((f) => (f.ageSeconds === null ? [] : [single(f.ageSeconds, [a.name, f.resource])])),
  );
  const attention = report.apps.map((a) => single(a.freshness.filter((f) => f.alert).length, [a.name]));
  return [
    ...(ages.length ? [doc('BackupAgeSeconds', ['App', 'Resource'], ages)] : []),
    ...(attention.length ? [doc('ResourcesNeedingAttention', ['App'], attention)] : []),
    doc('AuditCompleted', undefined, [single(1)]),
  ];
}

/** Sends each audit's freshness to Azure Monitor. */
export class MonitorMetricsPublisher {
  readonly #post: BearerJsonPost;

  constructor(options: MonitorMetricsOptions) {
    const id = parseAzureId(options.resourceId);
    if (!id) throw new RangeError(`metrics resource id is not an Azure resource id: ${options.resourceId}`);
    if (!/^[a-z0-9]+$/.test(options.region))
      throw new RangeError(`metrics region must be a region name such as northeurope; got ${options.region}`);
    this.#post = new BearerJsonPost({
      url: `https://${options.region}.monitoring.azure.com${options.resourceId}/metrics`,
      credential: options.credential,
      scope: MONITOR_METRICS_SCOPE,
      operation: 'monitor:metrics',
      contentType: 'application/json',
      ...(options.httpClient ? { httpClient: options.httpClient } : {}),
    });
  }

  /** Posts the audit's metrics; a refused one throws a provider error naming the metric. */
  async publish(report: AuditReport): Promise<void> {
    for (const doc of freshnessMetrics(report)) {
      const metric = doc.data.baseData.metric;
      const { status, text } = await this.#post.post(doc, `${metric}: `);
      if (status < 200 || status > 299)
        throw this.#post.refused(status, `${metric}: HTTP ${status}${text ? `: ${text.slice(0, 300)}` : ''}`);
    }
  }
}
