/**
 * `Notifier` over a Microsoft Teams incoming webhook (or a Teams Workflows webhook, which accepts the
 * same message): each notification is posted as an Adaptive Card.
 *
 * The approval web pages are not built yet, so the card carries no Approve / Reject buttons: it shows
 * the two CLI commands (`standby approve <token>` / `standby reject <token>`) and says so plainly. Plans
 * name webhooks by reference (`env:NAME`), never literally; the URL is resolved at send time and never
 * logged or returned in a detail.
 */
import type { Notification, Notifier } from '#shared/ports/notifier.ts';

/** What {@link TeamsNotifier} is built from. */
export interface TeamsNotifierOptions {
  /** Resolves a webhook reference to its URL, or undefined when it is not set. */
  readonly resolveReference: (name: string) => string | undefined;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /**
   * Per-post timeout in seconds.
   * @default 10
   */
  readonly timeoutSeconds?: number;
}

const REFERENCE = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;

type CardElement = Record<string, unknown>;

const text = (t: string, extra: CardElement = {}): CardElement => ({
  type: 'TextBlock',
  text: t,
  wrap: true,
  ...extra,
});
const code = (t: string): CardElement => text(t, { fontType: 'Monospace' });

/** The Teams message (an Adaptive Card attachment) for a notification. */
export function teamsMessage(notification: Notification): Record<string, unknown> {
  const body: CardElement[] = [
    text(`Standby: ${notification.kind.replaceAll('-', ' ')} — ${notification.app}`, {
      weight: 'Bolder',
      size: 'Medium',
    }),
    text(notification.text),
  ];
  if (notification.kind === 'approval-request') {
    body.push(
      text(
        'There is no approval web page yet: act on this request with the standby CLI, against the same plan set.',
      ),
    );
    if (notification.approveToken)
      body.push(
        text('To approve:', { weight: 'Bolder' }),
        code(`standby approve ${notification.approveToken} --plan <plans>`),
      );
    if (notification.rejectToken)
      body.push(
        text('To reject:', { weight: 'Bolder' }),
        code(`standby reject ${notification.rejectToken} --plan <plans>`),
      );
    if (notification.expiresAt)
      body.push(text(`The commands work once, until ${notification.expiresAt}.`, { isSubtle: true }));
  }
  if (notification.failoverId) body.push(text(`Failover ${notification.failoverId}`, { isSubtle: true }));
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
        },
      },
    ],
  };
}

/** Posts notifications whose channel is `teams`; other channels are reported as not delivered. */
export class TeamsNotifier implements Notifier {
  readonly #resolve: (name: string) => string | undefined;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;

  constructor(options: TeamsNotifierOptions) {
    this.#resolve = options.resolveReference;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = (options.timeoutSeconds ?? 10) * 1000;
  }

  async send(notification: Notification): Promise<{ readonly delivered: boolean; readonly detail?: string }> {
    if (notification.channel !== 'teams')
      return {
        delivered: false,
        detail: `the Azure controller delivers only to Teams; ${notification.channel} delivery is not configured here`,
      };
    const name = REFERENCE.exec(notification.target)?.[1];
    // Only the start of a target that is not env:NAME is shown: it may be a webhook URL pasted by mistake.
    if (!name)
      return {
        delivered: false,
        detail: `Teams webhook "${notification.target.slice(0, 12)}…" is not an env:NAME reference; write env:NAME and set NAME in the app settings`,
      };
    const url = this.#resolve(name);
    if (!url?.startsWith('https://'))
      return {
        delivered: false,
        detail: `${notification.target} is ${url ? 'not an https URL' : 'not set'}`,
      };
    try {
      const response = await this.#fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(teamsMessage(notification)),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      await response.body?.cancel().catch(() => undefined);
      return response.ok
        ? { delivered: true, detail: `Teams webhook ${notification.target} answered ${response.status}` }
        : { delivered: false, detail: `Teams webhook ${notification.target} answered ${response.status}` };
    } catch (error) {
      return {
        delivered: false,
        detail: `Teams webhook ${notification.target} failed: ${error instanceof Error ? error.name : String(error)}`,
      };
    }
  }
}
