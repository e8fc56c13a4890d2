/**
 * `Notifier` over Microsoft Teams Workflows (or incoming) webhooks, for every controller: the plan
 * names a webhook by reference (`secretsmanager:NAME`, `env:NAME`, `keyvault:…`), the composition
 * root says how to resolve one (Secrets Manager on AWS), and the URL is fetched at send time — never
 * logged, never returned in a detail, never stored.
 */
import { StandbyError } from '#shared/domain/errors.ts';
import type { Notification, Notifier } from '#shared/ports/notifier.ts';
import { teamsMessage } from './teams-message.ts';

/** What {@link WebhookTeamsNotifier} is built from. */
export interface WebhookTeamsNotifierOptions {
  /**
   * The webhook URL a plan's reference names; `undefined` when it is not set. Throws when the store
   * behind it fails (reported as not delivered, naming only the reference).
   */
  readonly resolveWebhook: (reference: string) => Promise<string | undefined>;
  /** The approval endpoint's base URL: approval and refusal cards get buttons to it. */
  readonly approvalBaseUrl?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /**
   * Per-post timeout in seconds.
   * @default 10
   */
  readonly timeoutSeconds?: number;
}

/** Posts notifications whose channel is `teams` as Adaptive Cards; other channels are reported as not delivered. */
export class WebhookTeamsNotifier implements Notifier {
  readonly #options: WebhookTeamsNotifierOptions;
  readonly #fetch: typeof fetch;

  constructor(options: WebhookTeamsNotifierOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  async send(notification: Notification): Promise<{ readonly delivered: boolean; readonly detail?: string }> {
    const reference = notification.target;
    if (notification.channel !== 'teams')
      return { delivered: false, detail: `${notification.channel} is not a Teams target` };
    let url: string | undefined;
    try {
      url = await this.#options.resolveWebhook(reference);
    } catch (error) {
      return {
        delivered: false,
        // Our own errors say what to fix and never hold the URL; an SDK error is named only.
        detail: `Teams webhook ${reference} could not be read: ${error instanceof StandbyError ? error.message : error instanceof Error ? error.name : 'error'}`,
      };
    }
    if (!url?.startsWith('https://'))
      return {
        delivered: false,
        detail: `Teams webhook ${reference} is ${url ? 'not an https URL' : 'not set'}`,
      };
    try {
      const response = await this.#fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(teamsMessage(notification, this.#options.approvalBaseUrl)),
        signal: AbortSignal.timeout((this.#options.timeoutSeconds ?? 10) * 1000),
      });
      await response.body?.cancel().catch(() => undefined);
      return { delivered: response.ok, detail: `Teams webhook ${reference} answered ${response.status}` };
    } catch (error) {
      return {
        delivered: false,
        detail: `Teams webhook ${reference} failed: ${error instanceof Error ? error.name : String(error)}`,
      };
    }
  }
}
