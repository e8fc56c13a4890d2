/** What the Azure Function tests share: an invocation context whose log lines the test can read, and a timer. */
import { InvocationContext, type Timer } from '@azure/functions';

/** A context as the Functions host passes it, recording every log line. */
export function invocationContext(functionName: string) {
  const lines: { level: string; text: string }[] = [];
  const context = new InvocationContext({
    invocationId: 'b1c2d3e4-0000-4000-8000-000000000001',
    functionName,
    logHandler: (level, ...args) => void lines.push({ level, text: args.map(String).join(' ') }),
  });
  return { context, lines };
}

/** The timer the host passes to a timer trigger. */
export const timer: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: true },
  scheduleStatus: {
    last: '2026-11-21T11:45:00.000Z',
    next: '2026-11-21T12:00:00.000Z',
    lastUpdated: '2026-11-21T11:45:00.000Z',
  },
};
