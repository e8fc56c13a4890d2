import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type NormalizeResult, normalizeEvent, normalizeEvents } from '#shared/domain/events.ts';
import { allCases } from './events/cases.ts';
import { documented, documentedDir, recorded } from './events/fixtures.ts';

describe('normalizeEvents', () => {
  it('covers every built fixture, and each says it was built from the documentation', () => {
    const files = readdirSync(documentedDir).filter((f) => f.endsWith('.json'));
    const cased = allCases.flatMap((c) => c.documented.map(([f]) => f));
    expect(files.sort()).toEqual(cased.sort());
    for (const f of files)
      expect(documented(f)).toHaveProperty('_about', expect.stringContaining('documented'));
  });

  it.each<[string, unknown, string]>([
    ['null', null, 'received null'],
    ['a number', 42, 'received a number'],
    ['a string', 'ALARM', 'received a string'],
    ['an array', [recorded('aws/cloudwatch-alarm-state-change-alarm.json')], 'received an array'],
  ])('rejects %s, saying what is wrong', (_what, input, inReason) => {
    const result = normalizeEvent(input);
    expect(result.accepted).toBe(false);
    expect(result).toHaveProperty('reason', expect.stringContaining(inReason));
  });

  it.each<[string, unknown, string]>([
    ['an unknown JSON object', { hello: 'world' }, 'not a recognised event'],
    ['an empty object', {}, 'not a recognised event'],
  ])('ignores %s as kind other, with a reason', (_what, input, inReason) => {
    expect(normalizeEvent(input)).toMatchObject({
      accepted: true,
      kind: 'other',
      reason: expect.stringContaining(inReason),
    });
  });
});

describe('normalizeEvent', () => {
  it('unwraps a one-record SNS batch', () => {
    expect(normalizeEvent(recorded('aws/sns-lambda-cloudwatch-alarm-single-metric.json'))).toMatchObject({
      accepted: true,
      kind: 'alarm',
    });
  });

  it('rejects a batch of several records, pointing at normalizeEvents', () => {
    expect(normalizeEvent(documented('sns-lambda-cloudwatch-alarm-two-records.json'))).toMatchObject({
      accepted: false,
      reason: expect.stringContaining('normalizeEvents'),
    });
  });
});

describe('normalizeEvents under malformed input', () => {
  // A small deterministic generator, so a failure is reproducible from the seed.
  function rng(seed: number) {
    let s = seed >>> 0;
    return () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const keys = [
    'detail-type',
    'detail',
    'schemaId',
    'data',
    'Records',
    'Sns',
    'Message',
    'alarmData',
    'standby',
    'state',
  ];
  function junk(next: () => number, depth: number): unknown {
    const pick = Math.floor(next() * 9);
    if (depth > 4 && pick > 5) return null;
    switch (pick) {
      case 0:
        return null;
      case 1:
        return next() * 1e6 - 5e5;
      case 2:
        return next() > 0.5;
      case 3:
        return 'x'.repeat(Math.floor(next() * 50));
      case 4:
        return [junk(next, depth + 1), junk(next, depth + 1)];
      case 5:
        return JSON.stringify(junk(next, depth + 1));
      default:
        return Object.fromEntries(
          Array.from({ length: 1 + Math.floor(next() * 4) }, () => [
            keys[Math.floor(next() * keys.length)]!,
            junk(next, depth + 1),
          ]),
        );
    }
  }
  /** Replaces one randomly chosen nested field of a valid fixture with junk. */
  function mutate(value: unknown, next: () => number): unknown {
    if (typeof value !== 'object' || value === null) return junk(next, 3);
    const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as never) : { ...value };
    const fields = Object.keys(copy);
    const field = fields[Math.floor(next() * fields.length)];
    if (field === undefined) return copy;
    copy[field] = next() < 0.5 ? mutate(copy[field], next) : junk(next, 3);
    return copy;
  }
  const fixtures = allCases.flatMap((c) => [
    ...c.recorded.map(([f]) => recorded(f)),
    ...c.documented.map(([f]) => documented(f)),
  ]);
  const wellFormed = (results: NormalizeResult[]) =>
    results.length > 0 &&
    results.every((r) =>
      r.accepted ? typeof r.kind === 'string' : typeof r.reason === 'string' && r.reason.length > 0,
    );

  it('never throws on 2,000 random values, and always returns results with a kind or a reason', () => {
    const next = rng(1);
    for (let i = 0; i < 2000; i++) {
      const input = junk(next, 0);
      const results = normalizeEvents(input);
      expect(wellFormed(results), JSON.stringify(input)).toBe(true);
    }
  });

  it('never throws on 2,000 fixtures with a field replaced by junk', () => {
    const next = rng(2);
    for (let i = 0; i < 2000; i++) {
      const input = mutate(fixtures[i % fixtures.length], next);
      expect(wellFormed(normalizeEvents(input)), JSON.stringify(input)).toBe(true);
    }
  });

  it('survives deep nesting, huge strings, circular objects and throwing getters', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = { detail: deep };
    const circular: Record<string, unknown> = { 'detail-type': 'x' };
    circular['detail'] = circular;
    const hostile = Object.defineProperty({}, 'schemaId', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const huge = 'A'.repeat(5_000_000);
    for (const input of [
      deep,
      circular,
      hostile,
      huge,
      { Records: [{ Sns: { MessageId: 'm', Message: huge } }] },
      { 'detail-type': huge, id: huge, source: huge, time: huge },
      { standby: 'approval', token: huge, decision: 'approve' },
      Symbol('s'),
      () => 1,
      undefined,
      BigInt(1),
    ]) {
      const results = normalizeEvents(input);
      expect(wellFormed(results)).toBe(true);
      for (const r of results) if (!r.accepted) expect(r.reason.length).toBeLessThan(1000);
    }
  });
});
