/**
 * Schedule expressions as EventBridge Scheduler writes them — `rate(1 day)`, `rate(7 days)`,
 * `cron(0 6 ? * MON *)` — parsed, checked and evaluated in UTC: what `spec.drill.schedule` says and
 * when a drill is due. The cron dialect is AWS's six fields (minutes hours day-of-month month
 * day-of-week year; days of the week 1–7 = SUN–SAT; exactly one of the two day fields is `?`) with
 * `, - * / ? L W #`. Hand-written: the cron libraries on npm read the five-field Unix dialect (other
 * field order, SUN = 0, no year) and would add a date library to every function bundle.
 */

/** A parsed schedule. */
export type Schedule =
  | { readonly kind: 'rate'; readonly text: string; readonly seconds: number }
  | { readonly kind: 'cron'; readonly text: string; readonly cron: Cron };

/** The parse result: the schedule, or what is wrong with the text. */
export type ScheduleParse =
  | { readonly ok: true; readonly schedule: Schedule }
  | { readonly ok: false; readonly problem: string };

interface Cron {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly years: ReadonlySet<number> | 'any';
  readonly day: DayRule;
}

/** Which days of a month match: by day of month, or by day of week (the other field is `?`). */
type DayRule =
  | {
      readonly by: 'month-day';
      readonly days: ReadonlySet<number>;
      readonly last: boolean;
      readonly weekday: number | 'last' | null;
    }
  | {
      readonly by: 'week-day';
      readonly days: ReadonlySet<number>;
      readonly nth: number | null;
      readonly lastOf: boolean;
    };

const UNITS = { minute: 60, hour: 3600, day: 86400 } as const;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Parses `text`; the problem names the field and what it allows. */
export function parseSchedule(text: string): ScheduleParse {
  const rate = /^rate\((\d+) (minute|hour|day)(s?)\)$/.exec(text);
  if (rate) {
    const value = Number(rate[1]);
    const plural = rate[3] === 's';
    if (value < 1) return bad(`${text}: a rate needs a value of 1 or more`);
    if ((value === 1) === plural)
      return bad(
        `${text}: write rate(1 ${rate[2]}) for one, rate(${Math.max(value, 2)} ${rate[2]}s) for more`,
      );
    return {
      ok: true,
      schedule: { kind: 'rate', text, seconds: value * UNITS[rate[2] as keyof typeof UNITS] },
    };
  }
  const cron = /^cron\((.*)\)$/.exec(text);
  if (!cron)
    return bad(
      `${text}: expected rate(<value> <unit>) or cron(<6 fields>), as EventBridge Scheduler writes them`,
    );
  const fields = cron[1]!.trim().split(/\s+/);
  if (fields.length !== 6)
    return bad(
      `${text}: a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`,
    );
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  try {
    if ((dom === '?') === (dow === '?'))
      throw new Error('exactly one of day-of-month and day-of-week must be ? (the other says which days)');
    const parsed: Cron = {
      minutes: values('minutes', min, 0, 59),
      hours: values('hours', hour, 0, 23),
      months: values('month', month, 1, 12, MONTHS),
      // Stryker disable next-line ConditionalExpression,StringLiteral: a year field allows 1970-2199 (AWS's range), so * read as that range fires at the same times in every year a schedule can name.
      years: year === '*' ? 'any' : values('year', year, 1970, 2199),
      day: dom === '?' ? weekRule(dow) : monthRule(dom),
    };
    return { ok: true, schedule: { kind: 'cron', text, cron: parsed } };
  } catch (error) {
    return bad(`${text}: ${(error as Error).message}`);
  }
}

/** The latest time at or before `at` (whole minutes, UTC) the cron fires, looking back at most 5 years. */
export function previousFiring(schedule: Extract<Schedule, { kind: 'cron' }>, at: Date): Date | undefined {
  const { cron } = schedule;
  const day = startOfDay(at);
  for (let i = 0; i <= 5 * 366; i++) {
    const d = new Date(day - i * 86_400_000);
    if (!dayMatches(cron, d)) continue;
    // Stryker disable next-line ArithmeticOperator: minute 24 * 60 + 1 falls in hour 24, which no cron has; the search starts lower at the same minute either way.
    const limit = i === 0 ? at.getUTCHours() * 60 + at.getUTCMinutes() : 24 * 60 - 1;
    for (let m = limit; m >= 0; m--)
      if (cron.hours.has(Math.floor(m / 60)) && cron.minutes.has(m % 60))
        return new Date(d.getTime() + m * 60_000);
  }
  return undefined;
}

/** The first time after `at` the cron fires, looking ahead at most 5 years. */
export function nextFiring(schedule: Extract<Schedule, { kind: 'cron' }>, at: Date): Date | undefined {
  const { cron } = schedule;
  const day = startOfDay(at);
  for (let i = 0; i <= 5 * 366; i++) {
    const d = new Date(day + i * 86_400_000);
    if (!dayMatches(cron, d)) continue;
    const from = i === 0 ? at.getUTCHours() * 60 + at.getUTCMinutes() + 1 : 0;
    // Stryker disable next-line EqualityOperator: minute 24 * 60 falls in hour 24, which no cron has.
    for (let m = from; m < 24 * 60; m++)
      if (cron.hours.has(Math.floor(m / 60)) && cron.minutes.has(m % 60))
        return new Date(d.getTime() + m * 60_000);
  }
  return undefined;
}

const bad = (problem: string): ScheduleParse => ({ ok: false, problem });
const startOfDay = (at: Date) => Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function dayMatches(cron: Cron, d: Date): boolean {
  const [y, m, date] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  if (!cron.months.has(m) || (cron.years !== 'any' && !cron.years.has(y))) return false;
  const rule = cron.day;
  const last = daysIn(y, m);
  if (rule.by === 'week-day') {
    const weekday = d.getUTCDay() + 1;
    if (!rule.days.has(weekday)) return false;
    if (rule.nth !== null) return Math.ceil(date / 7) === rule.nth;
    return !rule.lastOf || date + 7 > last;
  }
  if (rule.last) return date === last;
  if (rule.weekday === null) return rule.days.has(date);
  // `nW` / `LW`: the weekday nearest to day n (or the last day), never crossing into another month.
  const target = rule.weekday === 'last' ? last : Math.min(rule.weekday, last);
  const dow = new Date(Date.UTC(y, m - 1, target)).getUTCDay();
  const nearest =
    dow === 6
      ? target === 1
        ? target + 2
        : target - 1
      : dow === 0
        ? target === last
          ? target - 2
          : target + 1
        : target;
  return date === nearest;
}

function monthRule(field: string): DayRule {
  // Stryker disable next-line StringLiteral: dayMatches tells the rules apart by 'week-day' alone.
  if (field === 'L') return { by: 'month-day', days: new Set(), last: true, weekday: null };
  // Stryker disable next-line StringLiteral: as above.
  if (field === 'LW') return { by: 'month-day', days: new Set(), last: false, weekday: 'last' };
  const w = /^(\d+)W$/.exec(field);
  if (w) {
    const n = Number(w[1]);
    if (n < 1 || n > 31) throw new Error(`day-of-month ${field}: W needs a day 1-31`);
    // Stryker disable next-line StringLiteral: as above.
    return { by: 'month-day', days: new Set(), last: false, weekday: n };
  }
  // Stryker disable next-line StringLiteral: as above.
  return { by: 'month-day', days: values('day-of-month', field, 1, 31), last: false, weekday: null };
}

function weekRule(field: string): DayRule {
  const nth = /^([^#]+)#(\d)$/.exec(field);
  if (nth) {
    const k = Number(nth[2]);
    if (k < 1 || k > 5) throw new Error(`day-of-week ${field}: # needs an instance 1-5`);
    return {
      by: 'week-day',
      days: values('day-of-week', nth[1]!, 1, 7, WEEKDAYS, false),
      nth: k,
      // Stryker disable next-line BooleanLiteral: with an nth instance, dayMatches never reads lastOf.
      lastOf: false,
    };
  }
  if (field.includes('#')) throw new Error(`day-of-week ${field}: # allows one expression only, such as 3#2`);
  if (field === 'L') return { by: 'week-day', days: new Set([7]), nth: null, lastOf: false };
  // Stryker disable next-line Regex: .+ from the start matches whatever a match further on would (a field has no line breaks).
  const lastOf = /^(.+)L$/.exec(field);
  if (lastOf)
    return {
      by: 'week-day',
      days: values('day-of-week', lastOf[1]!, 1, 7, WEEKDAYS, false),
      nth: null,
      lastOf: true,
    };
  return { by: 'week-day', days: values('day-of-week', field, 1, 7, WEEKDAYS), nth: null, lastOf: false };
}

/** The values a field lists: `*`, `a`, `a-b`, `a/step`, `a-b/step`, `*\/step`, joined by commas; names allowed. */
function values(
  name: string,
  field: string,
  min: number,
  max: number,
  names?: readonly string[],
  lists = true,
): Set<number> {
  const out = new Set<number>();
  const parts = field.split(',');
  if (!lists && parts.length > 1) throw new Error(`${name} ${field}: one value only here`);
  const value = (text: string) => {
    const named = names?.indexOf(text.toUpperCase()) ?? -1;
    const n = named >= 0 ? named + min : /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(n >= min && n <= max))
      throw new Error(
        `${name} ${JSON.stringify(text)} is not allowed: use ${min}-${max}${names ? ` or ${names[0]}-${names.at(-1)}` : ''}`,
      );
    return n;
  };
  for (const part of parts) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!(Number.isInteger(step) && step >= 1))
      throw new Error(`${name} ${part}: the increment after / must be a whole number of 1 or more`);
    let [from, to] = [min, max];
    if (range !== '*') {
      const [a, b] = range.split('-') as [string, string | undefined];
      from = value(a);
      to = b === undefined ? (stepText === undefined ? from : max) : value(b);
      if (to < from) throw new Error(`${name} ${part}: the range ends before it starts`);
    }
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}
