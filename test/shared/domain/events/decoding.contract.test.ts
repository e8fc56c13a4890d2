/** The helpers every decoder shares, at their edges: previews, timestamps and schema messages. */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  check,
  compact,
  describeError,
  isObject,
  knownSource,
  parse,
  parseTime,
  preview,
  reject,
} from '#shared/domain/events/decoding.ts';

describe('preview', () => {
  it.each([
    ['a string, quoted', 'abc', '"abc"'],
    ['a number', 7, '7'],
    ['undefined', undefined, 'undefined'],
    ['a function', () => 1, '() => 1'],
    ['text of 80 characters, whole', 'x'.repeat(78), `"${'x'.repeat(78)}"`],
    ['text over 80 characters, cut to 77 and an ellipsis', 'x'.repeat(79), `"${'x'.repeat(76)}...`],
    ['a bigint, which JSON cannot write', 10n, '[object BigInt]'],
  ])('renders %s', (_case, value, text) => {
    expect(preview(value)).toBe(text);
  });
});

describe('describeError', () => {
  it('gives the message of an error, and a preview of anything else thrown', () => {
    expect(describeError(new Error('boom'))).toBe('boom');
    expect(describeError({ code: 1 })).toBe('{"code":1}');
  });
});

describe('isObject, knownSource, compact, reject', () => {
  it('tells plain objects from null and arrays', () => {
    expect([isObject({}), isObject(null), isObject([]), isObject('x')]).toEqual([true, false, false, false]);
  });

  it('knows the sources by their exact name', () => {
    expect(knownSource('aws.backup')).toBe('aws.backup');
    expect(knownSource('AWS.BACKUP')).toBeUndefined();
  });

  it('drops undefined values only', () => {
    expect(compact({ a: undefined, b: null, c: 0, d: '' })).toEqual({ b: null, c: 0, d: '' });
    expect(Object.keys(compact({ a: undefined, b: 1 }))).toEqual(['b']);
  });

  it('adds the source to a rejection only when known', () => {
    expect(reject('why')).toEqual({ accepted: false, reason: 'why' });
    expect(reject('why', 'standby')).toEqual({ accepted: false, reason: 'why', source: 'standby' });
  });
});

describe('parseTime', () => {
  it.each([
    ['2026-11-21T09:00Z', '2026-11-21T09:00:00.000Z'],
    ['2026-11-21T09:00:00-0130', '2026-11-21T10:30:00.000Z'],
    ['2026-11-21T09:00:00+01:30', '2026-11-21T07:30:00.000Z'],
    ['2026-11-21T09:00:00.1Z', '2026-11-21T09:00:00.100Z'],
    ['2026-11-21T09:00:00.12Z', '2026-11-21T09:00:00.120Z'],
    [' 2026-11-21T09:00:00Z\n', '2026-11-21T09:00:00.000Z'],
    [`2026-11-21T09:00:00.${'1'.repeat(43)}Z`, '2026-11-21T09:00:00.111Z'],
  ])('reads %j', (text, iso) => {
    expect(parseTime(text)?.toISOString()).toBe(iso);
  });

  it.each([
    `2026-11-21T09:00:00.${'1'.repeat(44)}Z`,
    'x2026-11-21T09:00:00Z',
    '2026-11-21T09:00:00Zx',
    '2026-11-21 09:00:00Z',
    '2026-11-21T09:00:00',
    '2026-11-21T09:00:00.Z',
    '2026-11-21T09:00:00+1',
    '2026-02-30T09:00:00Z',
    '2026-02-29T09:00:00Z',
    '2026-04-31T09:00:00+02:00',
    '2026-00-10T09:00:00Z',
    '2026-11-00T09:00:00Z',
  ])('refuses %j', (text) => {
    expect(parseTime(text)).toBeUndefined();
  });
});

describe('check and parse', () => {
  const schema = z.object({
    name: z.string().min(1),
    count: z.number(),
    flag: z.boolean(),
    list: z.array(z.string()),
    map: z.record(z.string(), z.string()),
    obj: z.object({}),
    kind: z.enum(['a', 'b']),
    size: z.number().min(3),
  });
  const good = { name: 'n', count: 1, flag: true, list: [], map: {}, obj: {}, kind: 'a', size: 3 };

  it('gives the value when it fits', () => {
    expect(check(schema, good)).toEqual({ ok: true, value: good });
    expect(parse(schema, good, 'Shape')).toEqual({ ok: true, value: good });
  });

  it('names every bad field, in words, with the value received', () => {
    expect(
      check(
        schema,
        { name: '', count: 'one', flag: 1, list: {}, map: [], obj: 2, kind: 'c', size: 1 },
        'detail',
      ),
    ).toEqual({
      ok: false,
      problems: [
        'detail.name: empty, expected a non-empty string (received "")',
        'detail.count: expected a number (received "one")',
        'detail.flag: expected true or false (received 1)',
        'detail.list: expected an array (received {})',
        'detail.map: expected an object (received [])',
        'detail.obj: expected an object (received 2)',
        'detail.kind: Invalid option: expected one of "a"|"b" (received "c")',
        'detail.size: too small (received 1)',
      ],
    });
  });

  it('says missing for an absent field, and (root) for the input itself', () => {
    expect(check(schema, { ...good, name: undefined })).toEqual({
      ok: false,
      problems: ['name: missing (expected a string)'],
    });
    expect(check(schema, 'x')).toEqual({
      ok: false,
      problems: ['(root): expected an object (received "x")'],
    });
    expect(check(z.string(), undefined)).toEqual({
      ok: false,
      problems: ['(root): missing (expected a string)'],
    });
    expect(check(z.bigint(), 1)).toEqual({ ok: false, problems: ['(root): expected bigint (received 1)'] });
  });

  it('joins the problems after the name of the shape', () => {
    expect(parse(schema, { ...good, count: 'x', flag: 0 }, 'Shape', 'd')).toEqual({
      ok: false,
      reason: 'Shape: d.count: expected a number (received "x"); d.flag: expected true or false (received 0)',
    });
  });
});

describe('check: a missing value of another kind than a type', () => {
  it("gives the schema's own words without a received value", () => {
    expect(check(z.object({ kind: z.enum(['a', 'b']) }), {})).toEqual({
      ok: false,
      problems: ['kind: Invalid option: expected one of "a"|"b"'],
    });
  });
});

describe('parseTime on the calendar', () => {
  it.each([
    ['2024-02-29T09:00:00Z', '2024-02-29T09:00:00.000Z'],
    ['2026-12-31T23:30:00-02:00', '2027-01-01T01:30:00.000Z'],
    ['2026-01-31T00:00:00Z', '2026-01-31T00:00:00.000Z'],
  ])('reads the last day of a month, %j', (text, iso) => {
    expect(parseTime(text)?.toISOString()).toBe(iso);
  });
});

describe('parseTime outside UTC', () => {
  it('reads a Z time as UTC whatever the local time zone', () => {
    const zone = process.env['TZ'];
    process.env['TZ'] = 'Asia/Kolkata';
    try {
      expect(parseTime('2026-11-21T09:00:00Z')?.toISOString()).toBe('2026-11-21T09:00:00.000Z');
    } finally {
      if (zone === undefined) delete process.env['TZ'];
      else process.env['TZ'] = zone;
    }
  });
});
