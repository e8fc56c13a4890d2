/**
 * Durations in plan files are strings: `90s`, `15m`, `1h`, `2d`. They are kept as whole seconds.
 */

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
const DURATION = /^([1-9][0-9]*)(s|m|h|d)$/;

/** What a duration may look like, for error messages. */
export const DURATION_HELP = 'a positive whole number followed by s, m, h or d (e.g. 90s, 15m, 1h, 2d)';

/** Parses `15m` into 900; returns `undefined` for anything that is not a valid duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
}

/** Renders seconds in the largest unit that divides them exactly: 900 → `15m`. */
export function formatDuration(seconds: number): string {
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** Renders an age for humans: `4m 20s`, `2h 5m`, `3d 1h`. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}
