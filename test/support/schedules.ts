/** The cron schedule `text` parses to; throws when it is not one (a test's own input is wrong). */
import { parseSchedule, type Schedule } from '#shared/domain/schedule-expression.ts';

export function cron(text: string): Extract<Schedule, { kind: 'cron' }> {
  const parsed = parseSchedule(text);
  if (!parsed.ok || parsed.schedule.kind !== 'cron') throw new Error(`not a cron: ${text}`);
  return parsed.schedule;
}
