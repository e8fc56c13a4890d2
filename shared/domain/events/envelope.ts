/**
 * The envelopes events travel in, opened before any source decoder runs: the EventBridge event
 * (`id`, `source`, `detail-type`, `time`, `detail`) and the Lambda SNS batch (`Records[].Sns.Message`,
 * a JSON string holding an EventBridge event or a CloudWatch alarm message).
 */
import * as z from 'zod';
import { check, knownSource, other, parse, parseTime, preview, reject } from './decoding.ts';
import {
  Delivery,
  type EventBase,
  type EventFields,
  type EventRejection,
  EventSource,
  type OtherEvent,
} from './types.ts';

/** What an SNS record tells the message inside it. */
export interface SnsContext {
  /** The record's `Sns.MessageId`; the event id of what it carries. */
  readonly snsMessageId?: string;
}

const eventBridgeEnvelope = z.object({
  id: z.string().min(1),
  'detail-type': z.string().min(1),
  source: z.string().min(1),
  account: z.string().optional(),
  time: z.string().min(1),
  region: z.string().optional(),
  resources: z.array(z.string()).default([]),
  detail: z.record(z.string(), z.unknown()).default({}),
});

/** A checked EventBridge event; `detail` is still unchecked (each source's decoder reads it). */
export type EventBridgeEnvelope = z.infer<typeof eventBridgeEnvelope>;

/** An opened EventBridge event: the envelope and the fields every event from it shares; or why not. */
export type OpenedEventBridge =
  | {
      readonly ok: true;
      readonly envelope: EventBridgeEnvelope;
      /** The envelope's fields: known source, delivery, event time as `occurredAt`, id-based dedupKey. */
      readonly base: EventBridgeFields;
    }
  | {
      readonly ok: false;
      /** Every problem of the envelope, each naming its field and the value received. */
      readonly problems: readonly string[];
      /** The source, when the envelope names one Standby knows. */
      readonly source?: EventSource;
    };

/** The fields an EventBridge envelope gives every event in it; `occurredAt` is always the event time. */
export type EventBridgeFields = EventFields & { readonly occurredAt: Date };

/**
 * Checks the EventBridge envelope of `raw`; `sns` is set when it arrived inside an SNS message.
 * On failure lists every missing or wrong envelope field (a time that is text but not a timestamp
 * included), so one rejection shows all of them.
 */
export function openEventBridge(raw: Record<string, unknown>, sns?: SnsContext): OpenedEventBridge {
  const env = check(eventBridgeEnvelope, raw);
  const rawTime = raw['time'];
  // Stryker disable next-line ConditionalExpression,EqualityOperator: parseTime reads no time in the empty text either.
  const time = typeof rawTime === 'string' && rawTime.length > 0 ? parseTime(rawTime) : undefined;
  const timeProblem =
    typeof rawTime === 'string' && rawTime.length > 0 && !time
      ? [
          `time: not a timestamp (received ${preview(rawTime)}), expected ISO-8601 such as 2026-11-21T09:00:00Z`,
        ]
      : [];
  if (!env.ok || !time) {
    const source = knownSource(raw['source']);
    return {
      ok: false,
      problems: [...(env.ok ? [] : env.problems), ...timeProblem],
      ...(source ? { source } : {}),
    };
  }
  const e = env.value;
  return {
    ok: true,
    envelope: e,
    base: {
      source: knownSource(e.source) ?? EventSource.Unknown,
      via: sns ? Delivery.Sns : Delivery.EventBridge,
      occurredAt: time,
      dedupKey: `eventbridge:${e.id}`,
      eventId: e.id,
      ...(e.region ? { region: e.region } : {}),
      ...(e.account ? { account: e.account } : {}),
    },
  };
}

/** Decodes the `detail` of one source's EventBridge events. */
export type EventBridgeDecoder<R> = (e: EventBridgeEnvelope, base: EventBridgeFields) => R;

/** An EventBridge event from a source (or of a type) Standby does not act on: kind `other`. */
export const notActedOn: EventBridgeDecoder<OtherEvent> = (e, base) =>
  other(base, `EventBridge "${e['detail-type']}" from ${e.source} is not an event Standby acts on`);

const snsRecord = z.object({
  EventSource: z.string().optional(),
  Sns: z.object({
    MessageId: z.string().min(1),
    Message: z.string(),
    Timestamp: z.string().optional(),
    TopicArn: z.string().optional(),
  }),
});

/**
 * Unwraps a Lambda SNS batch: one result per record, each record's `Message` parsed as JSON and handed
 * to `decodeMessage`. A plain-text message is kind `other`; a rejection names the record it came from.
 */
export function unwrapSnsBatch<A extends EventBase>(
  records: unknown[],
  decodeMessage: (message: unknown, sns: SnsContext) => A | EventRejection,
): (A | OtherEvent | EventRejection)[] {
  if (records.length === 0) return [reject('Records is empty; expected at least one SNS record')];
  return records.map((record, i) => {
    const r = parse(snsRecord, record, `SNS record`, `Records[${i}]`);
    if (!r.ok) return reject(r.reason, EventSource.AwsSns);
    const sns = r.value.Sns;
    let message: unknown;
    try {
      message = JSON.parse(sns.Message);
    } catch {
      const at = sns.Timestamp ? parseTime(sns.Timestamp) : undefined;
      return other(
        {
          source: EventSource.AwsSns,
          via: Delivery.Sns,
          ...(at ? { occurredAt: at } : {}),
          dedupKey: `sns:${sns.MessageId}`,
          eventId: sns.MessageId,
          ...(sns.TopicArn ? { topic: sns.TopicArn } : {}),
        },
        `Records[${i}].Sns.Message is plain text (${preview(sns.Message)}), not a CloudWatch alarm or EventBridge event`,
      );
    }
    const result = decodeMessage(message, { snsMessageId: sns.MessageId });
    if (isRejection(result)) return { ...result, reason: `Records[${i}].Sns.Message: ${result.reason}` };
    return sns.TopicArn ? { ...result, topic: sns.TopicArn } : result;
  });
}

function isRejection(result: EventBase | EventRejection): result is EventRejection {
  return !result.accepted;
}
