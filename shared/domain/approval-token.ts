/**
 * Approval tokens: signed (HMAC-SHA256), expiring, and — with the store's help — single-use. A token
 * carries the failover it decides, the decision, its expiry and a nonce; the nonce is what the
 * driver records on first use so a second use is refused.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a token says. */
export interface ApprovalClaims {
  readonly app: string;
  readonly failoverId: string;
  readonly decision: 'approve' | 'reject';
  /** Expiry, epoch seconds. */
  readonly exp: number;
  /** Random, unique per token: the single-use key. */
  readonly nonce: string;
}

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** Signs claims into `sb1.<payload>.<signature>`. The key is a secret of at least 32 bytes. */
export function signApprovalToken(
  claims: Omit<ApprovalClaims, 'nonce'> & { nonce?: string },
  key: Buffer,
): string {
  const full: ApprovalClaims = { ...claims, nonce: claims.nonce ?? randomBytes(12).toString('base64url') };
  const payload = b64(JSON.stringify(full));
  const signature = createHmac('sha256', key).update(`sb1.${payload}`).digest('base64url');
  return `sb1.${payload}.${signature}`;
}

/** Why a token was refused, or its claims. Never throws. */
export function verifyApprovalToken(
  token: string,
  key: Buffer,
  now: Date,
): { readonly ok: true; readonly claims: ApprovalClaims } | { readonly ok: false; readonly reason: string } {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || parts[0] !== 'sb1') return { ok: false, reason: 'not a Standby approval token' };
  const expected = createHmac('sha256', key).update(`sb1.${parts[1]}`).digest();
  const given = Buffer.from(parts[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'the token signature is not valid (tampered, or signed with another key)' };
  let claims: ApprovalClaims;
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as ApprovalClaims;
  } catch {
    return { ok: false, reason: 'the token payload is not readable' };
  }
  // A signed payload is still checked: without a numeric `exp` a token would never expire, and
  // without a nonce it could not be made single-use.
  if (!isClaims(claims)) return { ok: false, reason: 'the token payload is not a set of approval claims' };
  if (claims.decision !== 'approve' && claims.decision !== 'reject')
    return { ok: false, reason: 'the token names no decision' };
  if (now.getTime() / 1000 >= claims.exp)
    return { ok: false, reason: `the token expired at ${new Date(claims.exp * 1000).toISOString()}` };
  return { ok: true, claims };
}

function isClaims(value: unknown): value is ApprovalClaims {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c['app'] === 'string' &&
    typeof c['failoverId'] === 'string' &&
    typeof c['nonce'] === 'string' &&
    c['nonce'] !== '' &&
    typeof c['exp'] === 'number' &&
    Number.isFinite(c['exp'])
  );
}

/**
 * The claims a token states, read WITHOUT verifying it: only for routing and messages (which
 * application, which decision) before the real check. Never act on these alone.
 */
export function readUnverifiedClaims(token: string): Partial<ApprovalClaims> | undefined {
  try {
    const claims: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' ? (claims as Partial<ApprovalClaims>) : undefined;
  } catch {
    return undefined;
  }
}
