/**
 * Approval tokens: signed (HMAC-SHA256), expiring, bound to one failover, one decision and one
 * recipient, and — with the store's help — single-use. A token is `sb2.<payload>.<signature>`, both
 * parts canonical unpadded base64url: any other spelling of the same bytes is refused, so a token has
 * exactly one string form. Its claims name the issuer and audience, when it was issued, and the key
 * that signed it (`kid`), so keys can be rotated with two accepted at once.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidInputError } from './errors.ts';
import { OVERRIDABLE_GATES, type OverridableGate } from './failover.ts';

/** Who issues tokens, and for whom: fixed strings checked on every token. */
export const TOKEN_ISSUER = 'standby';
/** The audience of approval tokens (a token for another use of the same key is refused). */
export const TOKEN_AUDIENCE = 'standby-approval';
/** The shortest HMAC key accepted, in bytes. */
export const MIN_KEY_BYTES = 32;

/** What a token says. */
export interface ApprovalClaims {
  readonly iss: typeof TOKEN_ISSUER;
  readonly aud: typeof TOKEN_AUDIENCE;
  readonly app: string;
  readonly failoverId: string;
  /**
   * What the token lets its holder do: approve or reject the waiting failover `failoverId`, or
   * (`override`, the break-glass link of a refusal notice) start a new failover of `app` accepting the
   * gates in `accept` that refused `failoverId`.
   */
  readonly decision: TokenDecision;
  /** `override` tokens only: the refusing gates the holder may accept (overridable ones only). */
  readonly accept?: readonly OverridableGate[];
  /** The notify target the token was sent to (`sns:<topic ARN>` or `teams:<reference>`). */
  readonly recipient: string;
  /** Issued at, epoch seconds. */
  readonly iat: number;
  /** Expiry, epoch seconds. */
  readonly exp: number;
  /** Id of the signing key (see {@link keyId}). */
  readonly kid: string;
  /** Random, unique per token: the single-use key. */
  readonly nonce: string;
}

/** What a token is for. */
export type TokenDecision = 'approve' | 'reject' | 'override';

/** One HMAC key with its id. */
export interface SigningKey {
  readonly kid: string;
  readonly key: Buffer;
}

/**
 * The keys of a controller: tokens are signed with `current` and verified with whichever key their
 * `kid` names among `current` and `previous` (rotation: add the new key as current, keep the old one as
 * previous until its tokens have expired, then drop it — its tokens are refused from then on).
 */
export interface Keyring {
  readonly current: SigningKey;
  readonly previous?: SigningKey;
}

/** The id of a key: the first 16 hex digits of its SHA-256, so no configuration can mislabel a key. */
export function keyId(key: Buffer): string {
  assertKey(key);
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** A keyring of one key, or of a new key and the one it replaces. */
export function keyring(current: Buffer, previous?: Buffer): Keyring {
  return {
    current: { kid: keyId(current), key: current },
    ...(previous ? { previous: { kid: keyId(previous), key: previous } } : {}),
  };
}

/** The hash under which a token's nonce is kept: the store never holds a usable token. */
export function nonceHash(nonce: string): string {
  return createHash('sha256').update(`standby-nonce:${nonce}`).digest('base64url');
}

/** The hash of the nonce of a token this controller signed (for the record of what was sent). */
export function nonceOf(token: string): string {
  const nonce = readUnverifiedClaims(token)?.nonce;
  if (typeof nonce !== 'string') throw new InvalidInputError('not a Standby approval token');
  return nonceHash(nonce);
}

const NONCE_BYTES = 16;
const SIGNATURE_CHARS = 43; // 32 bytes of HMAC-SHA256 in unpadded base64url
const MAX_TOKEN_CHARS = 2048;
// Stryker disable next-line Regex: `canonical` also re-encodes the text; any other character changes it.
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The claims a caller gives; the signer adds issuer, audience, key id, issue time and the nonce. */
export type ClaimsToSign = Pick<
  ApprovalClaims,
  'app' | 'failoverId' | 'decision' | 'recipient' | 'exp' | 'accept'
>;

/** Signs claims with the ring's current key into `sb2.<payload>.<signature>`. */
export function signApprovalToken(claims: ClaimsToSign, keys: Keyring, now: Date): string {
  assertKey(keys.current.key);
  if (!acceptFits(claims.decision, claims.accept))
    throw new InvalidInputError(
      `an override token names the refusing gates it accepts (${OVERRIDABLE_GATES.join(', ')}), and only an override token does; got ${claims.decision} with ${JSON.stringify(claims.accept ?? null)}`,
    );
  const full: ApprovalClaims = {
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    ...claims,
    iat: Math.floor(now.getTime() / 1000),
    kid: keys.current.kid,
    nonce: randomBytes(NONCE_BYTES).toString('base64url'),
  };
  const payload = Buffer.from(JSON.stringify(full)).toString('base64url');
  return `sb2.${payload}.${mac(keys.current.key, payload).toString('base64url')}`;
}

/** Why a token was refused, or its claims. Never throws for a bad token. */
export type VerifyResult =
  | { readonly ok: true; readonly claims: ApprovalClaims }
  | { readonly ok: false; readonly code: TokenRefusal; readonly reason: string };

/**
 * Why a token cannot act, as a closed set the driving adapters map to their answers (an HTTP status):
 * not a token at all; signed by a key no longer accepted; a bad signature or impossible claims; past its
 * expiry; for another decision; for an application not in the plan set; for a failover that is not the
 * current one (or not in a state the token can act on); already used.
 */
export type TokenRefusal =
  | 'malformed'
  | 'unknown-key'
  | 'forged'
  | 'expired'
  | 'wrong-decision'
  | 'unknown-app'
  | 'not-current'
  | 'used';

/**
 * Verifies a token: its exact form (scheme, canonical base64url, signature length), the signature by
 * the key its `kid` names, every claim's type, issuer and audience, issue time and expiry.
 */
export function verifyApprovalToken(token: string, keys: Keyring, now: Date): VerifyResult {
  const parsed = parse(token);
  if (!parsed) return { ok: false, code: 'malformed', reason: 'not a Standby approval token' };
  const { payload, signature, claims } = parsed;
  const key = [keys.current, keys.previous].find((k) => k && k.kid === claims?.kid)?.key;
  if (!key)
    return {
      ok: false,
      code: 'unknown-key',
      reason: 'the token was signed with a key that is no longer accepted',
    };
  const expected = mac(key, payload);
  if (!timingSafeEqual(signature, expected))
    return {
      ok: false,
      code: 'forged',
      reason: 'the token signature is not valid (tampered, or signed with another key)',
    };
  if (!isClaims(claims))
    return { ok: false, code: 'malformed', reason: 'the token payload is not a set of approval claims' };
  const seconds = now.getTime() / 1000;
  if (claims.iat > seconds + 300)
    return { ok: false, code: 'forged', reason: 'the token was issued in the future' };
  if (seconds >= claims.exp)
    return {
      ok: false,
      code: 'expired',
      reason: `the token expired at ${new Date(claims.exp * 1000).toISOString()}`,
    };
  return { ok: true, claims };
}

/**
 * The claims a token states, read WITHOUT verifying it: only for routing and messages (which
 * application, which decision) before the real check. Never act on these alone.
 */
export function readUnverifiedClaims(token: string): Partial<ApprovalClaims> | undefined {
  return parse(token)?.claims ?? undefined;
}

function parse(
  token: string,
): { payload: string; signature: Buffer; claims: Partial<ApprovalClaims> | null } | undefined {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'sb2') return undefined;
  // Stryker disable next-line StringLiteral: three parts were checked, the defaults only satisfy the type.
  const [, payload = '', signature = ''] = parts;
  if (!canonical(payload) || signature.length !== SIGNATURE_CHARS || !canonical(signature)) return undefined;
  let claims: Partial<ApprovalClaims> | null = null;
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (value && typeof value === 'object') claims = value as Partial<ApprovalClaims>;
  } catch {
    // not JSON: claims stays null
  }
  return { payload, signature: Buffer.from(signature, 'base64url'), claims };
}

/** Unpadded base64url whose decoding encodes back to exactly the same text (no spare bits set). */
function canonical(text: string): boolean {
  return (
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: BASE64URL refuses the empty text too.
    text.length > 0 && BASE64URL.test(text) && Buffer.from(text, 'base64url').toString('base64url') === text
  );
}

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(`sb2.${payload}`).digest();
}

function isClaims(value: Partial<ApprovalClaims> | null): value is ApprovalClaims {
  // Stryker disable next-line ConditionalExpression,BooleanLiteral: a guard — claims without a key id were refused before.
  if (!value) return false;
  const strings = ['app', 'failoverId', 'recipient', 'kid', 'nonce'] as const;
  return (
    value.iss === TOKEN_ISSUER &&
    value.aud === TOKEN_AUDIENCE &&
    strings.every((k) => typeof value[k] === 'string' && value[k] !== '') &&
    (value.decision === 'approve' || value.decision === 'reject' || value.decision === 'override') &&
    acceptFits(value.decision, value.accept) &&
    // Stryker disable next-line ConditionalExpression: Number.isFinite does not coerce, so a non-number fails it too.
    typeof value.iat === 'number' &&
    Number.isFinite(value.iat) &&
    // Stryker disable next-line ConditionalExpression: as above.
    typeof value.exp === 'number' &&
    Number.isFinite(value.exp)
  );
}

/** An override token names at least one overridable gate, each once; an approve/reject token names none. */
function acceptFits(decision: TokenDecision, accept: unknown): boolean {
  if (decision !== 'override') return accept === undefined;
  return (
    Array.isArray(accept) &&
    accept.length > 0 &&
    new Set(accept).size === accept.length &&
    accept.every((g) => (OVERRIDABLE_GATES as readonly unknown[]).includes(g))
  );
}

/** Throws `InvalidInputError` unless `key` is a Buffer of at least {@link MIN_KEY_BYTES} bytes. */
function assertKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length < MIN_KEY_BYTES)
    throw new InvalidInputError(
      `an approval key must be at least ${MIN_KEY_BYTES} random bytes; got ${Buffer.isBuffer(key) ? key.length : typeof key}`,
    );
}
