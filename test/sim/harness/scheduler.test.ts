import { describe, expect, it } from 'vitest';
import { Scheduler, type Task } from '#sim/harness/scheduler.ts';

/** A task that logs around two points. */
const worker = (s: Scheduler, log: string[], name: string) => async (task: Task) => {
  try {
    log.push(`${name} begins`);
    await s.point(task, `${name}.1`);
    log.push(`${name} after 1`);
    await s.point(task, `${name}.2`);
    log.push(`${name} after 2`);
    return `${name} ok`;
  } finally {
    log.push(`${name} finally`);
  }
};

describe('Scheduler', () => {
  it('runs a new task to its first point, then one fiber per resume, in the order picked', async () => {
    const s = new Scheduler();
    const log: string[] = [];
    await s.spawn('a', worker(s, log, 'a'));
    await s.spawn('b', worker(s, log, 'b'));
    expect(s.parked.map((p) => p.label)).toEqual(['a.1', 'b.1']);
    await s.resume(s.parked[1]!);
    await s.resume(s.parked[0]!);
    expect(log).toEqual(['a begins', 'b begins', 'b after 1', 'a after 1']);
    expect(s.parked.map((p) => p.label)).toEqual(['b.2', 'a.2']);
  });

  it('reports how tasks ended, with the error of a failed one', async () => {
    const s = new Scheduler();
    await s.spawn('ok', async () => 'fine');
    await s.spawn('bad', async () => {
      throw new Error('store down');
    });
    expect(s.takeEnded().map((e) => [e.task.name, e.kind, e.detail])).toEqual([
      ['t1 ok', 'done', 'fine'],
      ['t2 bad', 'failed', 'Error: store down'],
    ]);
    expect(s.takeEnded()).toEqual([]);
  });

  it('freezes a crashed task: it never resumes, its finally never runs, its end is never reported', async () => {
    const s = new Scheduler();
    const log: string[] = [];
    const task = await s.spawn('a', worker(s, log, 'a'));
    s.crash(task);
    expect(s.parked).toEqual([]);
    await s.quiesce();
    expect(log).toEqual(['a begins']);
    expect(s.takeEnded()).toEqual([]);
    expect(task.state).toBe('crashed');
  });

  it('drops the parked fibers of a task that already ended (a Promise.all that rejected early)', async () => {
    const s = new Scheduler();
    await s.spawn('all', async (task) => {
      await Promise.all([
        s.point(task, 'left'),
        (async () => {
          throw new Error('right failed');
        })(),
      ]);
      return 'never';
    });
    expect(s.parked).toEqual([]);
    expect(s.takeEnded()[0]).toMatchObject({ kind: 'failed', detail: 'Error: right failed' });
  });

  it('waits, within one step, for tracked work that sleeps on real (even unref) timers', async () => {
    const s = new Scheduler();
    const log: string[] = [];
    await s.spawn('slow', async (task) => {
      await s.point(task, 'call');
      await s.track(new Promise((resolve) => setTimeout(resolve, 20).unref()));
      log.push('call returned');
      await s.point(task, 'next');
      return 'ok';
    });
    await s.resume(s.parked[0]!);
    expect(log).toEqual(['call returned']);
    expect(s.parked.map((p) => p.label)).toEqual(['next']);
  });
});
