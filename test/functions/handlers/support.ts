/**
 * What the Lambda handler tests share: a Lambda context, a logger whose lines the test can read, and
 * a controller over in-memory fakes of every port.
 */
import type { Context } from 'aws-lambda';
import { type Logger, pino } from 'pino';
import { LOG_REDACTION } from '#functions/composition.ts';
import { createController } from '#shared/application/controller.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import type { StateStore } from '#shared/ports/state-store.ts';
import {
  FakeInventory,
  FakeProber,
  FakeRestores,
  FakeTraffic,
  RecordingNotifier,
} from '../../support/fake-ports.ts';

/** A Lambda context as the runtime passes it. */
export function lambdaContext(functionName = 'standby-events'): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-central-1:111122223333:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/21/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** A pino logger writing JSON lines into `lines`, with the same redaction as the composition root. */
export function capturingLogger(): {
  logger: Logger;
  lines: () => Record<string, unknown>[];
  text: () => string;
} {
  const chunks: string[] = [];
  const logger = pino(
    { base: { service: 'standby' }, redact: LOG_REDACTION },
    { write: (chunk: string) => void chunks.push(chunk) },
  );
  return {
    logger,
    lines: () => chunks.map((c) => JSON.parse(c) as Record<string, unknown>),
    text: () => chunks.join(''),
  };
}

/** A controller over fakes, at 2026-11-21T12:00:00Z, with restores that take ten minutes. */
export function fakeController(options: { store?: StateStore; approvalKey?: Buffer } = {}) {
  const clock = new ManualClock(new Date('2026-11-21T12:00:00Z'));
  const restores = new FakeRestores(clock, 600);
  const traffic = new FakeTraffic();
  const notifier = new RecordingNotifier();
  const inventory = new FakeInventory(clock);
  let n = 0;
  const deps = {
    store: options.store ?? new InMemoryStateStore(),
    inventory,
    restores,
    prober: new FakeProber(),
    traffic,
    notifier,
    clock,
    approvalKey: options.approvalKey ?? Buffer.alloc(32, 7),
    newId: () => `f${++n}`,
    owner: 'test',
  };
  return { controller: createController(deps), deps, clock, restores, traffic, notifier, inventory };
}

/** A store whose every call about `app`'s lease fails with `error`: that app cannot advance, others can. */
export function storeFailingFor(store: StateStore, app: string, error: () => Error): StateStore {
  const fails = (partition: string) => partition === `lease/failover/${app}`;
  return {
    get: (k) => (fails(k.partition) ? Promise.reject(error()) : store.get(k)),
    create: (k, v, o) => (fails(k.partition) ? Promise.reject(error()) : store.create(k, v, o)),
    update: (k, v, e, o) => (fails(k.partition) ? Promise.reject(error()) : store.update(k, v, e, o)),
    query: (p, s) => (fails(p) ? Promise.reject(error()) : store.query(p, s)),
  };
}
