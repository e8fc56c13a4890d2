/**
 * `standby advance --by 30m`: lets simulated time pass as the clouds' schedulers would — restore jobs
 * end, retry delays and approval timeouts run out (with `onTimeout`), each failover is carried on at
 * each such moment — then runs the scheduled audit once and prints the status. Only in a simulation:
 * the real clouds' time cannot be moved.
 */
import { handleEvent } from '#shared/application/handle-event.ts';
import { formatDuration, parseDuration } from '#shared/domain/duration.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { ExitCode } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { openEngineRun } from './run-context.ts';
import { engineStatus, renderStatusTable, statusDocument } from './status.ts';

/** The checked options of `advance`. */
export interface AdvanceOptions {
  readonly plan: readonly string[];
  readonly world: string;
  readonly state: string;
  readonly by: string;
  readonly json: boolean;
}

/** The scheduled audit firing at `at`, as an EventBridge scheduled rule delivers it (also `serve`'s audit timer). */
export const scheduledAudit = (at: Date) => ({
  version: '0',
  id: `standby-advance-${at.getTime()}`,
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '000000000000',
  time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:000000000000:rule/standby-audit'],
  detail: {},
});

/**
 * 1. Check `--by` (a duration: 90s, 30m, 2h, 1d) before anything is opened.
 * 2. Let the time pass in the simulation, carrying every failover on as it goes.
 * 3. Run the scheduled audit once, save, print the audit outcome and the status.
 */
export async function advanceCommand(options: AdvanceOptions, io: CliIo): Promise<number> {
  const seconds = parseDuration(options.by);
  if (seconds === undefined)
    throw new InvalidInputError(
      `--by "${options.by}" is not a duration; expected a positive whole number followed by s, m, h or d (e.g. 90s, 30m, 2h)`,
    );
  const { plans, engine } = await openEngineRun(options);
  const from = engine.clock.now();
  await engine.runFor(plans, seconds);
  const [audit] = await handleEvent(scheduledAudit(engine.clock.now()), {
    plans,
    controller: engine.controller,
    actor: 'advance',
  });
  await engine.save();
  const status = await engineStatus(engine, plans);
  const moved = `simulated time moved ${formatDuration(seconds)}: ${from.toISOString()} → ${engine.clock.now().toISOString()}`;
  if (options.json)
    io.stdout.write(`${JSON.stringify({ moved, audit, status: statusDocument(status) }, null, 2)}\n`);
  else
    io.stdout.write(`${moved}\naudit: ${audit?.reason ?? 'not run'}\n\n${renderStatusTable(status, false)}`);
  return ExitCode.Ok;
}
