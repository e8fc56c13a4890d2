/** Approval tokens at their limits: length, non-string and non-JSON input, key ids and nonce hashes. */
import { createHash, createHmac } from 'node:crypto';
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
import { InvalidInputError } from '#shared/domain/errors.ts';

const key = Buffer.alloc(32, 9);
const ring = keyring(key);
const now = new Date('2025-03-01T12:00:00Z');
const claims = {
  app: 'payments',
  failoverId: 'f-1',
  decision: 'approve',
  recipient: 'sns:arn:aws:sns:eu-west-1:111122223333:dr',
  exp: Math.floor(now.getTime() / 1000) + 600,
} as const;
const fullClaims = () => readUnverifiedClaims(signApprovalToken(claims, ring, now))!;
/** A token whose payload is any JSON value, correctly signed. */
function signedPayload(value: unknown): string {
  const payload = Buffer.from(JSON.stringify(value)).toString('base64url');
  return `sb2.${payload}.${createHmac('sha256', key).update(`sb2.${payload}`).digest('base64url')}`;
}

describe('verifyApprovalToken at its limits', () => {
  /** A correctly signed token of exactly `length` characters (its claims padded with a filler claim). */
  function tokenOfLength(length: number): string {
    for (let filler = 0; filler < 2000; filler++) {
      const t = signedPayload({ ...fullClaims(), filler: 'x'.repeat(filler) });
      if (t.length === length) return t;
    }
    throw new Error(`no token of ${length} characters`);
  }

  it('accepts a token of 2048 characters and refuses one a little longer', () => {
    expect(verifyApprovalToken(tokenOfLength(2048), ring, now).ok).toBe(true);
    expect(verifyApprovalToken(tokenOfLength(2051), ring, now)).toMatchObject({
      ok: false,
      reason: 'not a Standby approval token',
    });
  });

  it.each([
    ['a number', 42],
    ['null', null],
    ['an object', { token: 'sb2' }],
  ])('refuses %s given as a token, without throwing', (_what, token) => {
    expect(verifyApprovalToken(token as unknown as string, ring, now)).toMatchObject({
      ok: false,
      reason: 'not a Standby approval token',
    });
  });

  it('refuses a signed payload that is not JSON (it names no key)', () => {
    const payload = Buffer.from('not json at all').toString('base64url');
    const token = `sb2.${payload}.${createHmac('sha256', key).update(`sb2.${payload}`).digest('base64url')}`;
    expect(verifyApprovalToken(token, ring, now)).toMatchObject({
      ok: false,
      reason: 'the token was signed with a key that is no longer accepted',
    });
    expect(readUnverifiedClaims(token)).toBeUndefined();
  });
});

describe('keyId', () => {
  it('is the first 16 hex digits of the key’s SHA-256', () => {
    expect(keyId(key)).toBe(createHash('sha256').update(key).digest('hex').slice(0, 16));
    expect(keyId(key)).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('nonceHash and nonceOf', () => {
  it('hashes the nonce under its own prefix (SHA-256 of "standby-nonce:<nonce>", base64url)', () => {
    expect(nonceHash('abc')).toBe('QdpeLkxes2osCJ8ZlorfCU6A_657hVXr2trhG4ERstI');
  });

  it.each([
    ['text that is no token', 'junk'],
    ['a token without a nonce', signedPayload({ app: 'payments' })],
  ])('refuses to read the nonce of %s', (_what, token) => {
    expect(() => nonceOf(token)).toThrow(new InvalidInputError('not a Standby approval token'));
  });
});
