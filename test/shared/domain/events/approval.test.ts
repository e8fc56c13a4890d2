import { describe, expect, it } from 'vitest';
import { normalizeEvent, normalizeEvents } from '#shared/domain/events.ts';
import { approvalCases } from './cases.ts';
import { documented, expectNormalized } from './fixtures.ts';

describe('Standby approval decoder', () => {
  it.each(approvalCases.documented)('normalises the documented variant %s', (file, expected) => {
    expectNormalized(normalizeEvents(documented(file)), expected);
  });

  it.each<[string, unknown, string]>([
    ['an approval without decision', { standby: 'approval', token: 't' }, 'decision'],
    ['an approval with decision maybe', { standby: 'approval', token: 't', decision: 'maybe' }, 'decision'],
    ['an approval with an empty token', { standby: 'approval', token: '', decision: 'approve' }, 'token'],
    ['an unknown Standby input', { standby: 'launch-missiles' }, 'expected "approval"'],
  ])('rejects %s, saying what is wrong', (_what, input, inReason) => {
    const result = normalizeEvent(input);
    expect(result.accepted).toBe(false);
    expect(result).toHaveProperty('reason', expect.stringContaining(inReason));
  });
});
