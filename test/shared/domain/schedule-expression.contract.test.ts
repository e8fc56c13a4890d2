/**
 * The edges of the cron dialect: every month and weekday name, the largest value of each field, the
 * `L`, `W` and `#` forms at their limits, and the spellings that must be refused. Weekdays of the
 * dates below: 2026-11-30 Mon; 2026-10-31 Sat; 2026-12-29 Tue; 2026-11-21 Sat.
 */
import { describe, expect, it } from 'vitest';
import { nextFiring, parseSchedule, previousFiring } from '#shared/domain/schedule-expression.ts';
import { cron } from '../../support/schedules.ts';

const next = (text: string, at: string) => nextFiring(cron(text), new Date(at))?.toISOString() ?? 'none';
const previous = (text: string, at: string) =>
  previousFiring(cron(text), new Date(at))?.toISOString() ?? 'none';
const problem = (text: string) => {
  const parsed = parseSchedule(text);
  return parsed.ok ? 'accepted' : parsed.problem;
};

describe('cron names', () => {
  it.each([
    ['JAN', '2027-01-01'],
    ['FEB', '2027-02-01'],
    ['MAR', '2027-03-01'],
    ['APR', '2027-04-01'],
    ['MAY', '2027-05-01'],
    ['JUN', '2027-06-01'],
    ['JUL', '2027-07-01'],
    ['AUG', '2027-08-01'],
    ['SEP', '2027-09-01'],
    ['OCT', '2027-10-01'],
    ['NOV', '2027-11-01'],
    ['DEC', '2026-12-01'],
  ])('reads the month %s: next first of the month after 2026-11-30 is %s', (name, date) => {
    expect(next(`cron(0 0 1 ${name} ? *)`, '2026-11-30T12:00:00Z')).toBe(`${date}T00:00:00.000Z`);
  });

  it.each([
    ['SUN', 1, '2026-12-06'],
    ['MON', 2, '2026-12-07'],
    ['TUE', 3, '2026-12-01'],
    ['WED', 4, '2026-12-02'],
    ['THU', 5, '2026-12-03'],
    ['FRI', 6, '2026-12-04'],
    ['SAT', 7, '2026-12-05'],
  ])('reads the weekday %s as %i: next after Monday 2026-11-30 is %s', (name, number, date) => {
    expect(next(`cron(0 0 ? * ${name} *)`, '2026-11-30T12:00:00Z')).toBe(`${date}T00:00:00.000Z`);
    expect(next(`cron(0 0 ? * ${number} *)`, '2026-11-30T12:00:00Z')).toBe(`${date}T00:00:00.000Z`);
  });

  it('reads names in any case', () => {
    expect(next('cron(0 0 ? dec tue *)', '2026-11-30T12:00:00Z')).toBe('2026-12-01T00:00:00.000Z');
    expect(next('cron(0 0 ? * Fri-sat *)', '2026-11-30T12:00:00Z')).toBe('2026-12-04T00:00:00.000Z');
  });
});

describe('cron field limits', () => {
  it('accepts the largest value of every field', () => {
    expect(next('cron(59 23 31 12 ? *)', '2026-11-30T12:00:00Z')).toBe('2026-12-31T23:59:00.000Z');
    expect(problem('cron(59 23 31 12 ? 2199)')).toBe('accepted');
    expect(next('cron(59 23 31 DEC ? 2026)', '2026-11-30T12:00:00Z')).toBe('2026-12-31T23:59:00.000Z');
    expect(next('cron(0 0 ? * 7 *)', '2026-11-30T12:00:00Z')).toBe('2026-12-05T00:00:00.000Z');
  });

  it('reads a step of 1 as every value, and a step from a single value up to the field maximum', () => {
    expect(next('cron(*/1 * * * ? *)', '2026-11-30T12:00:00Z')).toBe('2026-11-30T12:01:00.000Z');
    expect(previous('cron(50/5 * * * ? *)', '2026-11-30T12:49:00Z')).toBe('2026-11-30T11:55:00.000Z');
  });

  it('reads spaces inside the parentheses as separators', () => {
    expect(next('cron( 0 10 * * ? * )', '2026-11-30T09:59:00Z')).toBe('2026-11-30T10:00:00.000Z');
  });

  it.each([
    ['cron(1e1 10 * * ? *)', 'minutes "1e1" is not allowed: use 0-59'],
    ['cron(+5 10 * * ? *)', 'minutes "+5" is not allowed: use 0-59'],
    ['cron(0x1 10 * * ? *)', 'minutes "0x1" is not allowed: use 0-59'],
    ['cron(0/1.5 10 * * ? *)', 'minutes 0/1.5: the increment after / must be a whole number of 1 or more'],
    ['cron(0 0 0W * ? *)', 'day-of-month 0W: W needs a day 1-31'],
    ['cron(0 0 32W * ? *)', 'day-of-month 32W: W needs a day 1-31'],
    ['cron(0 0 x15W * ? *)', 'day-of-month "x15W" is not allowed: use 1-31'],
    ['cron(0 0 15Wx * ? *)', 'day-of-month "15Wx" is not allowed: use 1-31'],
    ['cron(0 9 ? * 3#0 *)', 'day-of-week 3#0: # needs an instance 1-5'],
    ['cron(0 9 ? * 3#12 *)', 'day-of-week 3#12: # allows one expression only, such as 3#2'],
    ['cron(0 9 ? * 2,3#1 *)', 'day-of-week 2,3: one value only here'],
    ['cron(0 9 ? * 5,6L *)', 'day-of-week 5,6: one value only here'],
    ['cron(0 9 ? * 6Lx *)', 'day-of-week "6Lx" is not allowed: use 1-7 or SUN-SAT'],
  ])('refuses %s: "%s"', (text, message) => {
    expect(problem(text)).toBe(`${text}: ${message}`);
  });
});

describe('cron day forms at their limits', () => {
  it('fires on the fifth Tuesday (3#5) only in months that have one', () => {
    expect(next('cron(0 9 ? * 3#5 *)', '2026-11-30T12:00:00Z')).toBe('2026-12-29T09:00:00.000Z');
  });

  it('reads L as the day of week Saturday', () => {
    expect(next('cron(0 0 ? * L *)', '2026-11-30T12:00:00Z')).toBe('2026-12-05T00:00:00.000Z');
  });

  it('reads a named last weekday (FRIL) as the last Friday of the month', () => {
    expect(next('cron(0 0 ? * FRIL *)', '2026-11-01T12:00:00Z')).toBe('2026-11-27T00:00:00.000Z');
  });

  it('takes 31W in a 30-day month as the weekday nearest the last day', () => {
    // 2026-11-30 is a Monday.
    expect(next('cron(0 0 31W * ? *)', '2026-11-01T12:00:00Z')).toBe('2026-11-30T00:00:00.000Z');
  });

  it('takes LW in a month that ends on a Saturday as the Friday before', () => {
    expect(next('cron(0 0 LW * ? *)', '2026-10-01T12:00:00Z')).toBe('2026-10-30T00:00:00.000Z');
  });

  it('takes nW on a Sunday inside the month as the Monday after', () => {
    // 2026-11-22 is a Sunday.
    expect(next('cron(0 0 22W * ? *)', '2026-11-01T12:00:00Z')).toBe('2026-11-23T00:00:00.000Z');
  });
});

describe('how far the search looks', () => {
  // 2021-01-01 + 1830 days (5 × 366) = 2026-01-05.
  it('finds a firing up to 5 × 366 days back, and none further', () => {
    expect(previous('cron(0 0 1 1 ? 2021)', '2026-01-05T12:00:00Z')).toBe('2021-01-01T00:00:00.000Z');
    expect(previous('cron(0 0 1 1 ? 2021)', '2026-01-06T12:00:00Z')).toBe('none');
  });

  it('finds a firing up to 5 × 366 days ahead, and none further', () => {
    expect(next('cron(0 0 5 1 ? 2031)', '2026-01-01T12:00:00Z')).toBe('2031-01-05T00:00:00.000Z');
    expect(next('cron(0 0 6 1 ? 2031)', '2026-01-01T12:00:00Z')).toBe('none');
  });

  it('looks at the last minute of every earlier day', () => {
    expect(previous('cron(59 23 * * ? *)', '2026-11-30T12:00:00Z')).toBe('2026-11-29T23:59:00.000Z');
  });
});
