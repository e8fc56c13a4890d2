/**
 * Helpers every event decoder shares: schema parsing with messages that name the field and the value
 * received, results (`reject`, `other`), value previews and timestamps. Nothing here throws.
 */
import type { z } from 'zod';
import { type EventFields, type EventRejection, EventSource, type OtherEvent } from './types.ts';

/** True for a plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `v` as one of {@link EventSource} when it is one, else `undefined`. */
export function knownSource(v: unknown): EventSource | undefined {
  return (Object.values(EventSource) as unknown[]).includes(v) ? (v as EventSource) : undefined;
}

/** A rejection saying `reason`, with the source when the input said enough to tell. */
export function reject(reason: string, source?: EventSource): EventRejection {
  return { accepted: false, reason, ...(source ? { source } : {}) };
}

/** An accepted event of kind `other`: well-formed, not acted on, for `reason`. */
export function other(base: EventFields, reason: string): OtherEvent {
  return { ...base, accepted: true, kind: 'other', reason };
}

/** Drops keys whose value is undefined, so optional fields are absent rather than `undefined`. */
export function compact<T extends Record<string, unknown>>(
  o: T,
): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

/** The outcome of {@link parse}: the value, or why it is not one. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The outcome of {@link check}: the value, or every problem found, each located. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/**
 * Runs a schema and, on failure, names every bad field (under `prefix`), what is wrong with it in
 * words, and the value received — never zod's own wording alone.
 */
export function check<T>(schema: z.ZodType<T>, input: unknown, prefix?: string): Checked<T> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const problems = r.error.issues.map((issue) => {
    const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.') || '(root)';
    return `${path}: ${describeIssue(issue, valueAt(input, issue.path))}`;
  });
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArrayDeclaration,StringLiteral,LogicalOperator: zod reports at least one issue on a failure; the fallback is for the type.
  return { ok: false, problems: problems.length > 0 ? problems : [`${prefix ?? '(root)'}: invalid`] };
}

/** Runs a schema; on failure names the shape and every bad field (with `prefix`) with the value received. */
export function parse<T>(schema: z.ZodType<T>, input: unknown, shape: string, prefix?: string): Parsed<T> {
  const r = check(schema, input, prefix);
  return r.ok ? r : { ok: false, reason: `${shape}: ${r.problems.join('; ')}` };
}

/** One schema issue in words: what is wrong, what was received, what is allowed. */
function describeIssue(issue: z.core.$ZodIssue, received: unknown): string {
  if (received === undefined && issue.code === 'invalid_type')
    return `missing (expected ${TYPE_WORDS[issue.expected] ?? issue.expected})`;
  const got = received === undefined ? '' : ` (received ${preview(received)})`;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}${got}`;
    case 'too_small':
      return issue.origin === 'string' ? `empty, expected a non-empty string${got}` : `too small${got}`;
    default:
      return `${issue.message}${got}`;
  }
}

/** zod's type names as a message says them. */
const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
  record: 'an object',
};

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: zod reports an issue at the first value of the wrong type, so every value above it on the path is an object or an array.
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** A short, safe rendering of a received value for messages. */
export function preview(v: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = Object.prototype.toString.call(v);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The message of an error, or a preview of a thrown non-error. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : preview(error);
}

/**
 * Parses the timestamp styles the clouds send: ISO-8601 with `Z`, CloudWatch's `+0000` offsets
 * without a colon, and Azure's 7-digit fractions. `undefined` when it is not a time.
 */
export function parseTime(text: string): Date | undefined {
  if (text.length > 64) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  // Stryker disable next-line MethodExpression,StringLiteral: V8's Date reads any number of fraction digits as milliseconds; the text is cut to the three digits ISO-8601 dates carry for every engine.
  const fraction = m[2] ? `.${m[2].slice(0, 3).padEnd(3, '0')}` : '';
  const zone = m[3] === 'Z' ? 'Z' : `${m[3]!.slice(0, 3)}:${m[3]!.slice(-2)}`;
  const date = new Date(`${m[1]}${fraction}${zone}`);
  return Number.isNaN(date.getTime()) || !isCalendarDay(m[1]!) ? undefined : date;
}

/** Whether the `YYYY-MM-DD` the text starts with is a day of the calendar (`Date` reads 02-30 as 2 March). */
function isCalendarDay(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}
