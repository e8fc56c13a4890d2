import { describe, expect, it } from 'vitest';
import { type ControllerDeps, createController } from '#shared/application/controller.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { keyring } from '#shared/domain/approval-token.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import {
  FakeInventory,
  FakeProber,
  FakeRestores,
  FakeTraffic,
  RecordingNotifier,
} from '../../support/fake-ports.ts';

const KEY = Buffer.alloc(32, 7);
const deps = (change: Partial<ControllerDeps> = {}): ControllerDeps => {
  const clock = new ManualClock(new Date('2026-11-21T12:00:00Z'));
  return {
    store: new InMemoryStateStore(),
    inventory: new FakeInventory(clock),
    restores: new FakeRestores(clock),
    prober: new FakeProber(),
    traffic: new FakeTraffic(),
    notifier: new RecordingNotifier(),
    clock,
    approvalKey: KEY,
    newId: () => 'f1',
    owner: 'controller-a',
    ...change,
  };
};

describe('createController', () => {
  it('holds a lease 300 s and allows 60 s of clock disagreement unless told otherwise', () => {
    expect([createController(deps()).leaseSeconds, createController(deps()).leaseSkewSeconds]).toEqual([
      300, 60,
    ]);
    const told = createController(deps({ leaseSeconds: 120, leaseSkewSeconds: 5 }));
    expect([told.leaseSeconds, told.leaseSkewSeconds]).toEqual([120, 5]);
  });

  it('takes one key or a keyring as given', async () => {
    const ring = keyring(KEY);
    expect((await createController(deps()).approvalKeys()).current).toEqual(ring.current);
    expect(await createController(deps({ approvalKey: ring })).approvalKeys()).toBe(ring);
  });

  it('loads the keys once, on first use, and tries again after a failed load', async () => {
    let loads = 0;
    const c = createController(
      deps({
        approvalKey: async () => {
          loads += 1;
          if (loads === 1) throw new Error('ThrottlingException');
          return KEY;
        },
      }),
    );
    expect(loads).toBe(0);
    await expect(c.approvalKeys()).rejects.toThrow('ThrottlingException');
    await c.approvalKeys();
    await c.approvalKeys();
    expect(loads).toBe(2);
  });
});
