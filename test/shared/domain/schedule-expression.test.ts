/**
 * EventBridge Scheduler's expressions, as AWS documents them (the examples of "Cron expressions
 * reference" among them), evaluated in UTC. Weekdays of the dates below: 2026-11-02 Mon, 11-27 Fri,
 * 11-28 Sat, 11-30 Mon, 12-07 Mon; 2026-08-15 Sat; 2026-05-31 Sun; 2027-01-04 Mon.
 */
import { describe, expect, it } from 'vitest';
import { nextFiring, parseSchedule, previousFiring } from '#shared/domain/schedule-expression.ts';
import { cron } from '../../support/schedules.ts';

const iso = (d: Date | undefined) => d?.toISOString() ?? 'none';

describe('schedule expressions', () => {
  it.each([
    {
      text: 'cron(0 10 * * ? *)',
      at: '2026-11-30T09:59:00Z',
      previous: '2026-11-29T10:00',
      next: '2026-11-30T10:00',
    },
    {
      text: 'cron(0 18 ? * MON-FRI *)',
      at: '2026-11-30T12:00:00Z',
      previous: '2026-11-27T18:00',
      next: '2026-11-30T18:00',
    },
    {
      text: 'cron(0 8 1 * ? *)',
      at: '2026-11-30T12:00:00Z',
      previous: '2026-11-01T08:00',
      next: '2026-12-01T08:00',
    },
    {
      text: 'cron(0/15 * * * ? *)',
      at: '2026-11-30T12:07:00Z',
      previous: '2026-11-30T12:00',
      next: '2026-11-30T12:15',
    },
    {
      text: 'cron(0/5 8-17 ? * MON-FRI *)',
      at: '2026-11-28T12:00:00Z',
      previous: '2026-11-27T17:55',
      next: '2026-11-30T08:00',
    },
    {
      text: 'cron(0 9 ? * 2#1 *)',
      at: '2026-11-30T12:00:00Z',
      previous: '2026-11-02T09:00',
      next: '2026-12-07T09:00',
    },
    {
      text: 'cron(0 0 L * ? *)',
      at: '2026-11-30T12:00:00Z',
      previous: '2026-11-30T00:00',
      next: '2026-12-31T00:00',
    },
    {
      text: 'cron(0 0 15W * ? *)',
      at: '2026-08-20T00:00:00Z',
      previous: '2026-08-14T00:00',
      next: '2026-09-15T00:00',
    },
    {
      text: 'cron(0 0 1W * ? *)',
      at: '2026-11-10T00:00:00Z',
      previous: '2026-11-02T00:00',
      next: '2026-12-01T00:00',
    },
    {
      text: 'cron(0 0 LW * ? *)',
      at: '2026-06-10T00:00:00Z',
      previous: '2026-05-29T00:00',
      next: '2026-06-30T00:00',
    },
    {
      text: 'cron(0 0 ? * 6L *)',
      at: '2026-12-01T00:00:00Z',
      previous: '2026-11-27T00:00',
      next: '2026-12-25T00:00',
    },
    {
      text: 'cron(30 6 ? * MON 2027)',
      at: '2026-11-30T12:00:00Z',
      previous: 'none',
      next: '2027-01-04T06:30',
    },
    {
      text: 'cron(0 12 ? JAN,JUL SUN *)',
      at: '2026-11-30T12:00:00Z',
      previous: '2026-07-26T12:00',
      next: '2027-01-03T12:00',
    },
    // 2026-07-31 is a Friday: the last Friday is the 31st, not the 24th (one week before the last day).
    {
      text: 'cron(0 0 ? * 6L *)',
      at: '2026-07-20T00:00:00Z',
      previous: '2026-06-26T00:00',
      next: '2026-07-31T00:00',
    },
    // 2026-08-01 is a Saturday: 1W is Monday the 3rd (never the Friday of the month before).
    {
      text: 'cron(0 0 1W * ? *)',
      at: '2026-07-31T12:00:00Z',
      previous: '2026-07-01T00:00',
      next: '2026-08-03T00:00',
    },
    { text: 'cron(0 10 * * ? 2026)', at: '2026-12-31T12:00:00Z', previous: '2026-12-31T10:00', next: 'none' },
    {
      text: 'cron(0  10 * * ?  *)',
      at: '2026-11-30T09:59:00Z',
      previous: '2026-11-29T10:00',
      next: '2026-11-30T10:00',
    },
  ])('$text around $at: previous $previous, next $next', ({ text, at, previous, next }) => {
    const schedule = cron(text);
    const when = new Date(at);
    const full = (t: string) => (t === 'none' ? t : `${t}:00.000Z`);
    expect(iso(previousFiring(schedule, when))).toBe(full(previous));
    expect(iso(nextFiring(schedule, when))).toBe(full(next));
  });

  it('counts a firing at the very minute as the previous one, and the next one strictly after', () => {
    const at = new Date('2026-11-30T10:00:00Z');
    expect(iso(previousFiring(cron('cron(0 10 * * ? *)'), at))).toBe('2026-11-30T10:00:00.000Z');
    expect(iso(nextFiring(cron('cron(0 10 * * ? *)'), at))).toBe('2026-12-01T10:00:00.000Z');
  });

  it.each([
    { text: 'rate(1 day)', seconds: 86_400 },
    { text: 'rate(7 days)', seconds: 604_800 },
    { text: 'rate(30 minutes)', seconds: 1_800 },
    { text: 'rate(1 hour)', seconds: 3_600 },
  ])('reads $text as every $seconds s', ({ text, seconds }) => {
    expect(parseSchedule(text)).toEqual({ ok: true, schedule: { kind: 'rate', text, seconds } });
  });

  it.each([
    { text: 'weekly', problem: 'expected rate(<value> <unit>) or cron(<6 fields>)' },
    { text: 'rate(1 days)', problem: 'write rate(1 day) for one, rate(2 days) for more' },
    { text: 'rate(5 hour)', problem: 'write rate(1 hour) for one, rate(5 hours) for more' },
    { text: 'rate(0 minutes)', problem: 'a rate needs a value of 1 or more' },
    {
      text: 'cron(0 10 * * ?)',
      problem: 'a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got 5',
    },
    { text: 'cron(0 10 * * * *)', problem: 'exactly one of day-of-month and day-of-week must be ?' },
    { text: 'cron(0 10 ? * ? *)', problem: 'exactly one of day-of-month and day-of-week must be ?' },
    { text: 'cron(60 10 * * ? *)', problem: 'minutes "60" is not allowed: use 0-59' },
    { text: 'cron(0 9 ? * FUN *)', problem: 'day-of-week "FUN" is not allowed: use 1-7 or SUN-SAT' },
    { text: 'cron(0 9 ? * 3#1,6#3 *)', problem: '# allows one expression only' },
    { text: 'cron(0 9 ? * 3#6 *)', problem: '# needs an instance 1-5' },
    { text: 'cron(0 9 10-2 * ? *)', problem: 'the range ends before it starts' },
    { text: 'cron(0/0 9 * * ? *)', problem: 'the increment after / must be a whole number of 1 or more' },
    { text: 'xrate(1 day)', problem: 'expected rate(<value> <unit>) or cron(<6 fields>)' },
    { text: 'rate(1 day) ', problem: 'expected rate(<value> <unit>) or cron(<6 fields>)' },
    { text: 'xcron(0 10 * * ? *)', problem: 'expected rate(<value> <unit>) or cron(<6 fields>)' },
    { text: 'cron(0 10 * * ? *)x', problem: 'expected rate(<value> <unit>) or cron(<6 fields>)' },
    { text: 'cron(0 24 * * ? *)', problem: 'hours "24" is not allowed: use 0-23' },
    { text: 'cron(0 10 * 13 ? *)', problem: 'month "13" is not allowed: use 1-12 or JAN-DEC' },
    { text: 'cron(0 10 * * ? 1969)', problem: 'year "1969" is not allowed: use 1970-2199' },
    { text: 'cron(0 10 32 * ? *)', problem: 'day-of-month "32" is not allowed: use 1-31' },
  ])('refuses $text, saying $problem', ({ text, problem }) => {
    const parsed = parseSchedule(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toContain(problem);
    expect(!parsed.ok && parsed.problem.startsWith(text)).toBe(true);
  });
});
