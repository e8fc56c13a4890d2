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

  it.each([
    ['in any order', { d: 4, b: 2, e: 5, a: 1, c: 3 }],
    ['in reverse order', { e: 5, d: 4, c: 3, b: 2, a: 1 }],
    ['already in order', { a: 1, b: 2, c: 3, d: 4, e: 5 }],
    ['out of order in the middle', { a: 1, c: 3, b: 2, e: 5, d: 4 }],
  ])('writes the same text for the same five keys %s', (_case, value) => {
    expect(canonicalJson(value)).toBe('{"a":1,"b":2,"c":3,"d":4,"e":5}');
  });

  it('orders keys by code unit, as JSON readers everywhere can repeat', () => {
    expect(canonicalJson({ b: 0, B: 0, a10: 0, a2: 0, _: 0 })).toBe('{"B":0,"_":0,"a10":0,"a2":0,"b":0}');
  });

  it('writes what JSON cannot hold as null in an array, as JSON.stringify does', () => {
    expect(canonicalJson([1, undefined, () => 0, 'x'])).toBe('[1,null,null,"x"]');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson(null)).toBe('null');
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

  const hashOf = (records: StoredRecord[], position: number) => records[position - 1]!.value.hash;
  const tampered: [
    string,
    (records: StoredRecord[]) => StoredRecord[],
    number,
    string,
    (records: StoredRecord[]) => string,
  ][] = [
    [
      'a field of a record is changed',
      (r) =>
        r.map((x) =>
          x.position === 3 ? { ...x, value: { ...x.value, at: '2026-11-21T13:00:00.000Z' } } : x,
        ),
      3,
      'changed',
      () => 'its content does not match its hash',
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
      // record 3 still holds the hash of the record that was replaced
      (r) => `record 3 holds another hash for it (${hashOf(r, 2).slice(0, 12)}…)`,
    ],
    [
      'a record in the middle is removed',
      (r) => r.filter((x) => x.position !== 2),
      2,
      'removed',
      () => 'the chain goes from 1 to 3',
    ],
    [
      'the first record is removed',
      (r) => r.filter((x) => x.position !== 1),
      1,
      'removed',
      () => 'the chain goes from 0 to 2',
    ],
    [
      'the last record is removed (the head names it)',
      (r) => r.slice(0, 4),
      5,
      'removed',
      () => 'the head names record 5, the chain ends at 4',
    ],
    [
      'two records are swapped',
      (r) => r.map((x, i) => ({ position: x.position, value: r[i === 1 ? 2 : i === 2 ? 1 : i]!.value })),
      2,
      'reordered',
      () => 'position 2 holds record 3',
    ],
    [
      'a record is moved to another application chain',
      (r) => r.map((x) => (x.position === 4 ? { ...x, value: { ...x.value, app: 'b' } } : x)),
      4,
      'changed',
      () => 'its content does not match its hash',
    ],
    [
      "a record sealed in another application's chain is linked in",
      (r) => r.map((x) => (x.position === 4 ? { ...x, value: sealRecord('b', r[2]!.value, draft(3)) } : x)),
      4,
      'changed',
      () => 'it belongs to the chain of b',
    ],
    [
      'the second record claims to be the first (no previous hash)',
      (r) =>
        r.map((x) => {
          if (x.position !== 2) return x;
          const { hash: _hash, ...unsealed } = { ...x.value, prev: null };
          return { ...x, value: { ...unsealed, hash: recordHash(unsealed) } };
        }),
      1,
      'changed',
      () => 'record 2 holds another hash for it (none…)',
    ],
  ];
  it.each(tampered)('names the record when %s', (_case, tamper, seq, kind, reason) => {
    const records = chain();
    const verdict = verifyChain('a', tamper(records), { seq: 5, hash: records[4]!.value.hash });
    expect(verdict).toEqual({
      ok: false,
      app: 'a',
      records: tamper(records).length,
      seq,
      tamper: kind,
      reason: `a: evidence record ${seq} was ${kind}: ${reason(records)}`,
    });
  });

  it.each([1, 3, 5])('finds record %i changed when the head recorded another hash for it', (seq) => {
    const records = chain();
    expect(verifyChain('a', records, { seq, hash: records[0]!.value.hash.replace(/^./, 'x') })).toEqual({
      ok: false,
      app: 'a',
      records: 5,
      seq,
      tamper: 'changed',
      reason: `a: evidence record ${seq} was changed: its hash is not the one the head recorded`,
    });
  });

  it('accepts a head at 0 (nothing appended yet)', () => {
    expect(verifyChain('a', [], { seq: 0, hash: '' })).toEqual({ ok: true, app: 'a', records: 0 });
    expect(verifyChain('a', chain(2), { seq: 0, hash: '' })).toEqual({ ok: true, app: 'a', records: 2 });
  });
});
