/**
 * One `Notifier` over every channel: each notification goes to the notifier of its channel (SNS topics
 * through SNS, Teams webhooks through Teams). A composition root without one channel passes a notifier
 * that reports "not configured here", so a plan's target is never silently dropped.
 */
import type { Notification, Notifier } from '#shared/ports/notifier.ts';

/** A notifier per channel: adding a channel fails to compile until every root routes it. */
export type ChannelNotifiers = { readonly [C in Notification['channel']]: Notifier };

/** Routes each notification to its channel's notifier. */
export class ChannelNotifier implements Notifier {
  constructor(private readonly channels: ChannelNotifiers) {}

  send(notification: Notification): ReturnType<Notifier['send']> {
    return this.channels[notification.channel].send(notification);
  }
}
