import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  keyId,
  keyring,
  nonceHash,
  nonceOf,
  readUnverifiedClaims,
  signApprovalToken,
  verifyApprovalToken,
} from '#shared/domain/approval-token.ts';

const key = Buffer.alloc(32, 9);
const ring = keyring(key);
const now = new Date('2025-03-01T12:00:00Z');
const exp = Math.floor(now.getTime() / 1000) + 600;
const claims = {
  app: 'payments',
  failoverId: 'f-1',
  decision: 'approve',
  recipient: 'sns:arn:aws:sns:eu-west-1:111122223333:dr',
  exp,
} as const;
const sign = () => signApprovalToken(claims, ring, now);

/** A token whose payload is any JSON value, correctly signed: what only a key holder could make. */
function signedPayload(value: unknown, k = key): string {
  const payload = Buffer.from(JSON.stringify(value)).toString('base64url');
  return `sb2.${payload}.${createHmac('sha256', k).update(`sb2.${payload}`).digest('base64url')}`;
}
const fullClaims = () => readUnverifiedClaims(sign())!;

describe('verifyApprovalToken', () => {
  it('returns the claims of a token signed with the key: issuer, audience, issue time, key id, a fresh nonce', () => {
    expect(verifyApprovalToken(sign(), ring, now)).toEqual({
      ok: true,
      claims: {
        iss: 'standby',
        aud: 'standby-approval',
        ...claims,
        iat: now.getTime() / 1000,
        kid: keyId(key),
        nonce: expect.stringMatching(/^[\w-]{22}$/),
      },
    });
  });

  it('gives every token its own nonce, so each can be used once', () => {
    expect(readUnverifiedClaims(sign())?.nonce).not.toBe(readUnverifiedClaims(sign())?.nonce);
  });

  it('accepts tokens of the previous key during a rotation, and refuses them once that key is dropped', () => {
    const next = Buffer.alloc(32, 5);
    const old = sign();
    expect(verifyApprovalToken(old, keyring(next, key), now).ok).toBe(true);
    expect(
      verifyApprovalToken(signApprovalToken(claims, keyring(next, key), now), keyring(next), now).ok,
    ).toBe(true);
    expect(verifyApprovalToken(old, keyring(next), now)).toEqual({
      ok: false,
      reason: 'the token was signed with a key that is no longer accepted',

      code: 'unknown-key',
    });
  });

  it.each([0, 16, 31])('refuses to sign or verify with a key of %i bytes', (bytes) => {
    expect(() => keyring(Buffer.alloc(bytes, 1))).toThrow('an approval key must be at least 32 random bytes');
  });

  const [, payload, signature] = sign().split('.') as [string, string, string];
  it.each([
    {
      case: 'another scheme',
      token: () => 'jwt.abc.def',
      reason: 'not a Standby approval token',
      code: 'malformed',
    },
    {
      case: 'the old sb1 scheme',
      token: () => `sb1.${payload}.${signature}`,
      reason: 'not a Standby approval token',

      code: 'malformed',
    },
    {
      case: 'a padded signature',
      token: () => `sb2.${payload}.${signature}=`,
      reason: 'not a Standby approval token',

      code: 'malformed',
    },
    {
      case: 'a standard-base64 character in the signature',
      token: () => `sb2.${payload}.${signature.slice(0, 20)}+${signature.slice(21)}`,
      reason: 'not a Standby approval token',

      code: 'malformed',
    },
    {
      case: 'flipped spare bits in the signature',
      token: () => {
        const last = signature.at(-1)!;
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        const flipped = alphabet[(alphabet.indexOf(last) ^ 1) % 64]!;
        return `sb2.${payload}.${signature.slice(0, -1)}${flipped}`;
      },
      reason: 'not a Standby approval token',

      code: 'malformed',
    },
    {
      case: 'junk after the token',
      token: () => `${sign()}.x`,
      reason: 'not a Standby approval token',
      code: 'malformed',
    },
    {
      case: 'an overlong token',
      token: () => `sb2.${'A'.repeat(5000)}.${signature}`,
      reason: 'not a Standby approval token',

      code: 'malformed',
    },
    {
      case: 'another key with the same key id',
      token: () => signedPayload(fullClaims(), Buffer.alloc(32, 1)),
      reason: 'the token signature is not valid (tampered, or signed with another key)',

      code: 'forged',
    },
    {
      case: 'a changed payload',
      token: () => {
        const forged = Buffer.from(JSON.stringify({ ...fullClaims(), decision: 'reject' })).toString(
          'base64url',
        );
        return `sb2.${forged}.${signature}`;
      },
      reason: 'the token signature is not valid (tampered, or signed with another key)',

      code: 'forged',
    },
    {
      case: 'an expired token',
      token: () => signApprovalToken({ ...claims, exp: Math.floor(now.getTime() / 1000) }, ring, now),
      reason: 'the token expired at 2025-03-01T12:00:00.000Z',

      code: 'expired',
    },
    {
      case: 'a token issued in the future',
      token: () => signedPayload({ ...fullClaims(), iat: now.getTime() / 1000 + 3600 }),
      reason: 'the token was issued in the future',

      code: 'forged',
    },
    {
      case: 'another audience',
      token: () => signedPayload({ ...fullClaims(), aud: 'other' }),
      reason: 'the token payload is not a set of approval claims',

      code: 'malformed',
    },
    {
      case: 'another issuer',
      token: () => signedPayload({ ...fullClaims(), iss: 'other' }),
      reason: 'the token payload is not a set of approval claims',

      code: 'malformed',
    },
    {
      case: 'a payload without a recipient',
      token: () => signedPayload({ ...fullClaims(), recipient: undefined }),
      reason: 'the token payload is not a set of approval claims',

      code: 'malformed',
    },
    {
      case: 'a payload without a nonce',
      token: () => signedPayload({ ...fullClaims(), nonce: '' }),
      reason: 'the token payload is not a set of approval claims',

      code: 'malformed',
    },
    {
      case: 'a payload without a decision',
      token: () => signedPayload({ ...fullClaims(), decision: 'maybe' }),
      reason: 'the token payload is not a set of approval claims',

      code: 'malformed',
    },
  ])('refuses $case with its reason and code, without throwing', ({ token, reason, code }) => {
    expect(verifyApprovalToken(token(), ring, now)).toEqual({ ok: false, code, reason });
  });

  // Each spelling below is canonical base64url, so only the part count, the scheme, the signature length
  // or the exact string form refuses it: the one string form of a token is `sb2.<payload>.<43 chars>`.
  it.each([
    { case: 'a signature truncated to 30 bytes', token: () => `sb2.${payload}.${signature.slice(0, 40)}` },
    { case: 'a signature of 33 bytes', token: () => `sb2.${payload}.${signature}A` },
    { case: 'four parts, the fourth a valid signature', token: () => `${sign()}.${signature}` },
    { case: 'four parts with an empty last part', token: () => `${sign()}.` },
    { case: 'two parts', token: () => `sb2.${payload}` },
    { case: 'an empty payload', token: () => `sb2..${signature}` },
    { case: 'a leading space', token: () => ` ${sign()}` },
    { case: 'a trailing newline', token: () => `${sign()}\n` },
    { case: 'surrounding whitespace', token: () => `\t${sign()} ` },
    { case: 'an upper-case scheme', token: () => `SB2.${payload}.${signature}` },
  ])('refuses $case as not a Standby token, and never throws', ({ token }) => {
    const t = token();
    expect(() => verifyApprovalToken(t, ring, now)).not.toThrow();
    expect(verifyApprovalToken(t, ring, now)).toMatchObject({
      ok: false,
      reason: 'not a Standby approval token',
    });
    expect(readUnverifiedClaims(t)).toBeUndefined();
  });

  it.each([
    ['an empty nonce', { nonce: '' }],
    ['a numeric nonce', { nonce: 7 }],
    ['an empty app', { app: '' }],
    ['an empty failover id', { failoverId: '' }],
    ['an empty key id claim', { kid: '' }],
    ['an issue time that is not a number', { iat: '1740830400' }],
    ['an infinite-looking issue time (null)', { iat: null }],
    ['an expiry that is not a number', { exp: String(exp) }],
  ])('refuses a correctly signed payload with %s', (_what, change: Record<string, unknown>) => {
    const token = signedPayload({ ...fullClaims(), ...change });
    expect(verifyApprovalToken(token, ring, now)).toMatchObject({
      ok: false,
      reason:
        change.kid === ''
          ? 'the token was signed with a key that is no longer accepted'
          : 'the token payload is not a set of approval claims',
    });
  });

  it.each([
    { case: 'issued 300 s ahead (clock skew allowed)', iat: 300, exp: 600, ok: true },
    { case: 'issued 301 s ahead', iat: 301, exp: 600, ok: false },
    { case: 'one second before its expiry', iat: 0, exp: 1, ok: true },
    { case: 'at its expiry', iat: 0, exp: 0, ok: false },
  ])('accepts a token $case: $ok', ({ iat, exp: e, ok }) => {
    const s = now.getTime() / 1000;
    const token = signedPayload({ ...fullClaims(), iat: s + iat, exp: s + e });
    expect(verifyApprovalToken(token, ring, now).ok).toBe(ok);
  });
});

describe('readUnverifiedClaims', () => {
  it('reads the app and decision of a token without the key', () => {
    expect(readUnverifiedClaims(sign())).toMatchObject({ app: 'payments', decision: 'approve' });
  });

  it.each(['', 'not-a-token', 'sb2.%%%.x', signedPayload(42)])('gives undefined for %j', (token) => {
    expect(readUnverifiedClaims(token)).toBeUndefined();
  });
});

describe('nonceOf', () => {
  it('keeps only a hash of the nonce: the record of a sent token cannot be turned back into it', () => {
    const token = sign();
    const hash = nonceOf(token);
    expect(hash).toBe(nonceHash(readUnverifiedClaims(token)!.nonce!));
    expect(token).not.toContain(hash);
  });
});

describe('override tokens (the "fail over anyway" link)', () => {
  const override = { ...claims, decision: 'override', accept: ['fresh-backups', 'cooldown'] } as const;

  it('carry the refusing gates they accept', () => {
    const verified = verifyApprovalToken(signApprovalToken(override, ring, now), ring, now);
    expect(verified).toMatchObject({
      ok: true,
      claims: { decision: 'override', accept: ['fresh-backups', 'cooldown'] },
    });
  });

  it.each([
    ['an override naming no gate', { ...override, accept: [] }],
    ['an override naming a gate that cannot be overridden', { ...override, accept: ['recovery-points'] }],
    ['an override naming a gate twice', { ...override, accept: ['cooldown', 'cooldown'] }],
    ['an approval naming gates', { ...claims, accept: ['cooldown'] }],
  ])('are never signed as %s, and such a payload is refused', (_case, bad) => {
    expect(() => signApprovalToken(bad as never, ring, now)).toThrow(/names the refusing gates/);
    const payload = { ...fullClaims(), ...bad };
    expect(verifyApprovalToken(signedPayload(payload), ring, now)).toMatchObject({
      ok: false,
      code: 'malformed',
    });
  });
});
