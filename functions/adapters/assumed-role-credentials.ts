/**
 * Credentials of the roles a plan set names per AWS account (`spec.accounts`), from `sts:AssumeRole`.
 * One session per account, shared by every client of that account, cached until shortly before it
 * expires and then refreshed on the next use; concurrent uses share one AssumeRole call. A failed
 * call is not cached (the next use tries again). Secrets never leave the SDK clients: nothing here logs.
 */
import { AssumeRoleCommand, type AssumeRoleCommandOutput, type STSClient } from '@aws-sdk/client-sts';
import { InvalidInputError, ProviderError } from '#shared/domain/errors.ts';
import type { Clock } from '#shared/ports/clock.ts';

/** Temporary credentials, in the shape the SDK clients' `credentials` option takes. */
export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** What {@link AssumedRoleCredentials} is built from. */
export interface AssumedRoleCredentialsOptions {
  readonly client: STSClient;
  /** The role to assume, by 12-digit account id. */
  readonly roles: ReadonlyMap<string, string>;
  readonly clock: Clock;
  /** `RoleSessionName`, seen in the member account's CloudTrail. */
  readonly sessionName: string;
  /**
   * Refresh a session this long before it expires, so no call starts on credentials about to lapse.
   * @default 300
   */
  readonly refreshBeforeSeconds?: number;
  /**
   * Session length asked for (the role's maximum session duration must allow it).
   * @default 3600
   */
  readonly durationSeconds?: number;
}

/** Per-account credential providers over one STS client. */
export class AssumedRoleCredentials {
  readonly #sessions = new Map<string, Promise<TemporaryCredentials>>();
  readonly #providers = new Map<string, () => Promise<TemporaryCredentials>>();

  constructor(private readonly options: AssumedRoleCredentialsOptions) {}

  /** True when the plans name a role for `account`. */
  has(account: string): boolean {
    return this.options.roles.has(account);
  }

  /** The credential provider of `account`'s role; throws when the plans name none for it. */
  providerFor(account: string): () => Promise<TemporaryCredentials> {
    if (!this.options.roles.has(account))
      throw new InvalidInputError(
        `no role to assume in account ${account}; name one in the plan's spec.accounts (roles are known for ${[...this.options.roles.keys()].join(', ') || 'no account'})`,
      );
    let provider = this.#providers.get(account);
    if (!provider) {
      provider = () => this.#session(account);
      this.#providers.set(account, provider);
    }
    return provider;
  }

  async #session(account: string): Promise<TemporaryCredentials> {
    const cached = this.#sessions.get(account);
    if (cached) {
      const credentials = await cached.catch(() => undefined);
      if (credentials && !this.#expiring(credentials)) return credentials;
      // Another caller may already have replaced a failed or expiring session.
      const current = this.#sessions.get(account);
      if (current && current !== cached) return current;
    }
    const fresh = this.#assume(account);
    this.#sessions.set(account, fresh);
    fresh.catch(() => {
      if (this.#sessions.get(account) === fresh) this.#sessions.delete(account);
    });
    return fresh;
  }

  #expiring(credentials: TemporaryCredentials): boolean {
    const margin = (this.options.refreshBeforeSeconds ?? 300) * 1000;
    return credentials.expiration.getTime() - this.options.clock.now().getTime() <= margin;
  }

  async #assume(account: string): Promise<TemporaryCredentials> {
    const roleArn = this.options.roles.get(account)!;
    let out: AssumeRoleCommandOutput;
    try {
      out = await this.options.client.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: this.options.sessionName.slice(0, 64),
          DurationSeconds: this.options.durationSeconds ?? 3600,
        }),
      );
    } catch (error) {
      throw new ProviderError(
        'sts:AssumeRole',
        `could not assume ${roleArn}: ${(error as Error).name}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration)
      throw new ProviderError('sts:AssumeRole', `the answer for ${roleArn} carries no complete credentials`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  }
}
