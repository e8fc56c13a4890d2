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

/** Runs a schema; on failure names the shape, the first bad field (with `prefix`) and the value received. */
export function parse<T>(schema: z.ZodType<T>, input: unknown, shape: string, prefix?: string): Parsed<T> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  if (!issue) return { ok: false, reason: `${shape}: invalid` };
  const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.') || '(root)';
  const received = valueAt(input, issue.path);
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more problem(s))` : '';
  return {
    ok: false,
    reason: `${shape}: ${path}: ${issue.message}${received === undefined ? '' : ` (received ${preview(received)})`}${more}`,
  };
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** A short, safe rendering of a received value for messages. */
export function preview(v: unknown): string {
  let text: string;
  try {
    text = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
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
  const fraction = m[2] ? `.${m[2].slice(0, 3).padEnd(3, '0')}` : '';
  const zone = m[3] === 'Z' ? 'Z' : `${m[3]!.slice(0, 3)}:${m[3]!.slice(-2)}`;
  const date = new Date(`${m[1]}${fraction}${zone}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
