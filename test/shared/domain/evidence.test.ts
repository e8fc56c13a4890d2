import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  type EvidenceRecord,
  recordHash,
  type StoredRecord,
  sealRecord,
  verifyChain,
} from '#shared/domain/evidence.ts';

const draft = (n: number) => ({
  kind: 'phase' as const,
  at: `2026-11-21T12:0${n}:00.000Z`,
  ref: `failover/f1/phase/${n}`,
  data: { failoverId: 'f1', phase: 'restoring', reason: `change ${n}` },
});

/** A sound chain of `n` records of app `a`, as stored (position = seq). */
function chain(n = 5): StoredRecord[] {
  const records: EvidenceRecord[] = [];
  for (let i = 0; i < n; i++) records.push(sealRecord('a', records.at(-1), draft(i)));
  return records.map((value) => ({ position: value.seq, value }));
}

describe('canonicalJson', () => {
  it('orders keys at every level and drops undefined properties', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"e":0,"f":1}]},"b":1}',
    );
  });
});

describe('sealRecord', () => {
  it('links each record to the hash of the one before it', () => {
    const [first, second] = chain(2).map((r) => r.value);
    expect(first).toMatchObject({ seq: 1, prev: null });
    expect(second).toMatchObject({ seq: 2, prev: first!.hash });
    expect(second!.hash).toBe(recordHash({ ...second!, hash: undefined } as never));
    expect(second!.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and an empty one', () => {
    const records = chain();
    expect(verifyChain('a', records, { seq: 5, hash: records[4]!.value.hash })).toEqual({
      ok: true,
      app: 'a',
      records: 5,
    });
    expect(verifyChain('a', [])).toEqual({ ok: true, app: 'a', records: 0 });
  });

  it('accepts a head behind the chain (an append that died before moving it)', () => {
    const records = chain();
    expect(verifyChain('a', records, { seq: 3, hash: records[2]!.value.hash }).ok).toBe(true);
  });

  const tampered: [string, (records: StoredRecord[]) => StoredRecord[], number, string][] = [
    [
      'a field of a record is changed',
      (r) =>
        r.map((x) =>
          x.position === 3 ? { ...x, value: { ...x.value, at: '2026-11-21T13:00:00.000Z' } } : x,
        ),
      3,
      'changed',
    ],
    [
      'a record is replaced by a new, self-consistent one',
      (r) =>
        r.map((x) =>
          x.position === 2
            ? { ...x, value: sealRecord('a', r[0]!.value, { ...draft(1), data: { phase: 'completed' } }) }
            : x,
        ),
      2,
      'changed',
    ],
    ['a record in the middle is removed', (r) => r.filter((x) => x.position !== 2), 2, 'removed'],
    ['the last record is removed (the head names it)', (r) => r.slice(0, 4), 5, 'removed'],
    [
      'two records are swapped',
      (r) => r.map((x, i) => ({ position: x.position, value: r[i === 1 ? 2 : i === 2 ? 1 : i]!.value })),
      2,
      'reordered',
    ],
    [
      'a record is moved to another application chain',
      (r) => r.map((x) => (x.position === 4 ? { ...x, value: { ...x.value, app: 'b' } } : x)),
      4,
      'changed',
    ],
  ];
  it.each(tampered)('names the record when %s', (_case, tamper, seq, kind) => {
    const records = chain();
    const verdict = verifyChain('a', tamper(records), { seq: 5, hash: records[4]!.value.hash });
    expect(verdict).toMatchObject({ ok: false, seq, tamper: kind });
    if (!verdict.ok) expect(verdict.reason).toContain(`evidence record ${seq} was ${kind}`);
  });
});
