/**
 * Freshness alerts of the audit: one SNS message per application with alerts (people) and one
 * `Standby Freshness Alert` event (machines).
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { AuditReport } from '#shared/application/run-audit.ts';
import type { Notifier } from '#shared/ports/notifier.ts';

/** `detail-type` of the event the audit emits when a resource needs attention. */
export const FRESHNESS_ALERT_DETAIL_TYPE = 'Standby Freshness Alert';

/** Entries one PutEvents request may carry (the API's limit). */
const PUT_EVENTS_MAX_ENTRIES = 10;

/** What {@link FreshnessAlertPublisher} is built from. */
export interface FreshnessAlertPublisherOptions {
  readonly notifier: Notifier;
  readonly events: EventBridgeClient;
  readonly topicArn?: string;
  readonly eventBusName: string;
}

/** Tells people (SNS) and machines (EventBridge) about the resources an audit found wanting. */
export class FreshnessAlertPublisher {
  constructor(private readonly options: FreshnessAlertPublisherOptions) {}

  /**
   * Publishes one SNS message and one EventBridge event per application with alerts. A failed
   * EventBridge entry throws (the scheduled run is retried); an SNS failure is reported in the result.
   */
  async publish(report: AuditReport): Promise<{ apps: number; snsDelivered: boolean }> {
    const apps = report.apps
      .map((a) => ({ name: a.name, alerts: a.freshness.filter((f) => f.alert) }))
      .filter((a) => a.alerts.length > 0);
    if (apps.length === 0) return { apps: 0, snsDelivered: true };
    const entries = apps.map((a) => ({
      Source: 'standby',
      DetailType: FRESHNESS_ALERT_DETAIL_TYPE,
      EventBusName: this.options.eventBusName,
      Time: new Date(report.generatedAt),
      Detail: JSON.stringify({ app: a.name, generatedAt: report.generatedAt, freshness: a.alerts }),
    }));
    let failed = 0;
    let errorCode: string | undefined;
    // PutEvents takes at most 10 entries; one call for eleven apps would fail the whole audit, every run.
    for (let i = 0; i < entries.length; i += PUT_EVENTS_MAX_ENTRIES) {
      const out = await this.options.events.send(
        new PutEventsCommand({ Entries: entries.slice(i, i + PUT_EVENTS_MAX_ENTRIES) }),
      );
      failed += out.FailedEntryCount ?? 0;
      errorCode ??= out.Entries?.find((e) => e.ErrorCode)?.ErrorCode;
    }
    if (failed > 0)
      throw new Error(
        `events:PutEvents rejected ${failed} of ${apps.length} freshness alert(s): ${errorCode ?? 'unknown'}`,
      );
    let snsDelivered = true;
    if (this.options.topicArn)
      for (const a of apps) {
        const sent = await this.options.notifier.send({
          app: a.name,
          channel: 'sns',
          target: this.options.topicArn,
          kind: 'freshness-alert',
          at: report.generatedAt,
          text: [
            `Backups of ${a.name} need attention (audit at ${report.generatedAt}):`,
            ...a.alerts.map((f) => `- ${f.resource}: ${f.status}: ${f.reason}`),
          ].join('\n'),
        });
        snsDelivered &&= sent.delivered;
      }
    return { apps: apps.length, snsDelivered };
  }
}
