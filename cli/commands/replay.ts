/**
 * `standby replay`: feeds recorded events, in order, through the same use case as the cloud handlers,
 * then runs until nothing more can happen without outside input (SPEC §5).
 */

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { describeFsError } from '#platform/fs-errors.ts';
import { type EventOutcome, handleEvent } from '#shared/application/handle-event.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { normalizeEvents } from '#shared/domain/events.ts';
import { ExitCode } from '../errors.ts';
import { renderStatsTable } from '../format/table.ts';
import type { CliIo } from '../io.ts';
import { openEngineRun } from './run-context.ts';
import { engineStatus, renderStatusTable, statusDocument } from './status.ts';

/** The checked options of `replay`. */
export interface ReplayOptions {
  readonly plan: readonly string[];
  readonly world?: string;
  readonly state: string;
  readonly events: readonly string[];
  readonly json: boolean;
  readonly stats: boolean;
}

/**
 * 1. Read every event file first: one that cannot be read stops the replay before anything happens.
 * 2. Handle each event in order; a file that is not JSON is a `rejected` outcome, like any bad event.
 * 3. Run until idle (simulated time passes for running restores), save the simulation, print.
 */
export async function replayCommand(options: ReplayOptions, io: CliIo): Promise<number> {
  if (options.events.length === 0) throw new InvalidInputError('replay needs at least one event file');
  const files = await Promise.all(
    options.events.map(async (path) => ({
      path,
      text: await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new InvalidInputError(`event file ${path} cannot be read (${describeFsError(error)})`);
      }),
    })),
  );
  const { plans, engine } = await openEngineRun(options);
  const outcomes: (EventOutcome & { event: string })[] = [];
  for (const file of files) {
    const event = basename(file.path);
    let raw: unknown;
    try {
      raw = JSON.parse(file.text);
    } catch (error) {
      outcomes.push({
        event,
        accepted: false,
        source: null,
        kind: null,
        app: null,
        effect: 'rejected',
        reason: `not JSON: ${(error as Error).message}`,
      });
      continue;
    }
    // A recorded event happens at its own time: the simulated clock moves on to it when it is later.
    if (engine.cloud)
      for (const normalized of normalizeEvents(raw))
        if (normalized.accepted && normalized.occurredAt) engine.cloud.clock.advanceTo(normalized.occurredAt);
    for (const outcome of await handleEvent(raw, { plans, controller: engine.controller, actor: 'replay' }))
      outcomes.push({ event, ...outcome });
  }
  await engine.runUntilIdle(plans);
  await engine.save();
  const status = await engineStatus(engine, plans);
  const stats = options.stats ? engine.cloud?.stats() : undefined;
  if (options.json)
    io.stdout.write(
      `${JSON.stringify({ outcomes, status: statusDocument(status), ...(stats ? { stats: { calls: stats } } : {}) }, null, 2)}\n`,
    );
  else {
    for (const o of outcomes)
      io.stdout.write(`${o.event}: ${o.effect}${o.app ? ` (${o.app})` : ''} — ${o.reason}\n`);
    io.stdout.write(`\n${renderStatusTable(status, false)}`);
    if (stats) io.stdout.write(`\n${renderStatsTable(stats)}\n`);
  }
  return ExitCode.Ok;
}
