/**
 * `standby serve`: the local control plane with its dashboard. Opens the plane over the simulated
 * cloud of a world file (state under `--state-dir`), listens on `--host:--port`, ticks every second
 * of real time, and stops cleanly on SIGINT or SIGTERM: no new requests, event streams ended, the
 * world saved and the embedded DynamoDB closed — then it exits 0. A restart goes on from the directory.
 */
import { ExitCode } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { startServer } from './http/server.ts';
import { LocalPlane } from './local-plane.ts';

/** The checked options of `serve`. */
export interface ServeOptions {
  readonly plan: readonly string[];
  readonly world: string;
  readonly stateDir: string;
  readonly host: string;
  readonly port: number;
  readonly speed: number;
  /** Real milliseconds between ticks. @default 1000 */
  readonly tickMs?: number;
}

/** What stops the server: the process's signals, or a test's own emitter. */
export interface StopSignals {
  once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/**
 * 1. Listen, then open the plane with the server's URL (the approval links point at it).
 * 2. Tick now and every `tickMs`; a tick still running is not started twice.
 * 3. On a stop signal: stop ticking, close the server and its streams, then the plane; exit 0.
 */
export async function serveCommand(
  options: ServeOptions,
  io: CliIo,
  signals: StopSignals = process,
): Promise<number> {
  const log = (message: string) => io.stderr.write(`${message}\n`);
  const server = await startServer({
    host: options.host,
    port: options.port,
    log,
    openPlane: (url) =>
      LocalPlane.open({
        plan: options.plan,
        world: options.world,
        stateDir: options.stateDir,
        speed: options.speed,
        approvalBaseUrl: url,
        log,
      }),
  });
  const { plane } = server;
  let ticking: Promise<void> | undefined;
  const tick = () => {
    ticking ??= plane.tick().finally(() => {
      ticking = undefined;
    });
  };
  tick();
  const timer = setInterval(tick, options.tickMs ?? 1000);
  io.stdout.write(
    [
      `Standby dashboard: ${server.url}`,
      `  ${plane.plans.length} application(s) from ${options.plan.join(', ')}; simulated cloud ${options.world}`,
      `  simulated time ×${options.speed} from ${plane.cloud.clock.now().toISOString()}; state in ${options.stateDir}`,
      '  Ctrl-C to stop (a restart goes on from the state directory)',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      signals.off('SIGINT', stop);
      signals.off('SIGTERM', stop);
      resolve();
    };
    signals.once('SIGINT', stop);
    signals.once('SIGTERM', stop);
  });
  clearInterval(timer);
  await ticking;
  await server.close();
  await plane.close();
  io.stdout.write(`standby serve stopped; state kept in ${options.stateDir}\n`);
  return ExitCode.Ok;
}
