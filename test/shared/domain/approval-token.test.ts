import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  readUnverifiedClaims,
  signApprovalToken,
  verifyApprovalToken,
} from '#shared/domain/approval-token.ts';

const key = Buffer.alloc(32, 9);
const now = new Date('2025-03-01T12:00:00Z');
const exp = Math.floor(now.getTime() / 1000) + 600;
const claims = { app: 'payments', failoverId: 'f-1', decision: 'approve', exp } as const;

/** A token whose payload is any JSON text, correctly signed: what only a key holder could make. */
function signedPayload(json: string): string {
  const payload = Buffer.from(json).toString('base64url');
  return `sb1.${payload}.${createHmac('sha256', key).update(`sb1.${payload}`).digest('base64url')}`;
}

describe('verifyApprovalToken', () => {
  it('returns the claims of a token signed with the key, with a fresh nonce', () => {
    const result = verifyApprovalToken(signApprovalToken(claims, key), key, now);
    expect(result).toEqual({ ok: true, claims: { ...claims, nonce: expect.stringMatching(/^[\w-]{16}$/) } });
  });

  it('gives every token its own nonce, so each can be used once', () => {
    const nonces = [1, 2].map((): unknown => {
      const result = verifyApprovalToken(signApprovalToken(claims, key), key, now);
      return result.ok && result.claims.nonce;
    });
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it.each([
    { case: 'another scheme', token: () => 'jwt.abc.def', reason: 'not a Standby approval token' },
    {
      case: 'another key',
      token: () => signApprovalToken(claims, Buffer.alloc(32, 1)),
      reason: 'the token signature is not valid (tampered, or signed with another key)',
    },
    {
      case: 'a changed payload',
      token: () => {
        const [scheme, , signature] = signApprovalToken(claims, key).split('.');
        const forged = Buffer.from(JSON.stringify({ ...claims, app: 'other' })).toString('base64url');
        return `${scheme}.${forged}.${signature}`;
      },
      reason: 'the token signature is not valid (tampered, or signed with another key)',
    },
    {
      case: 'an expired token',
      token: () => signApprovalToken({ ...claims, exp: Math.floor(now.getTime() / 1000) }, key),
      reason: 'the token expired at 2025-03-01T12:00:00.000Z',
    },
    {
      case: 'a payload that is not JSON',
      token: () => signedPayload('{ nope'),
      reason: 'the token payload is not readable',
    },
    {
      case: 'a null payload',
      token: () => signedPayload('null'),
      reason: 'the token payload is not a set of approval claims',
    },
    {
      case: 'a payload without an expiry',
      token: () =>
        signedPayload(
          JSON.stringify({ app: 'payments', failoverId: 'f-1', decision: 'approve', nonce: 'n' }),
        ),
      reason: 'the token payload is not a set of approval claims',
    },
    {
      case: 'a payload without a nonce',
      token: () => signedPayload(JSON.stringify(claims)),
      reason: 'the token payload is not a set of approval claims',
    },
    {
      case: 'a payload without a decision',
      token: () => signedPayload(JSON.stringify({ ...claims, decision: 'maybe', nonce: 'n' })),
      reason: 'the token names no decision',
    },
  ])('refuses $case with its reason, without throwing', ({ token, reason }) => {
    expect(verifyApprovalToken(token(), key, now)).toEqual({ ok: false, reason });
  });
});

describe('readUnverifiedClaims', () => {
  it('reads the app and decision of a token without the key', () => {
    expect(readUnverifiedClaims(signApprovalToken(claims, key))).toMatchObject({
      app: 'payments',
      decision: 'approve',
    });
  });

  it.each(['', 'not-a-token', 'sb1.%%%.x', signedPayload('42')])('gives undefined for %j', (token) => {
    expect(readUnverifiedClaims(token)).toBeUndefined();
  });
});
