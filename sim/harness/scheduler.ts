/**
 * A cooperative scheduler for real async code. Tasks are ordinary promises (a `handleEvent` delivery,
 * an `advanceAll` round); the harness's port wrappers call {@link Scheduler.point} before every store
 * and effect call, which parks that fiber until the world loop picks it. Between two picks exactly one
 * fiber runs (the loop waits for quiescence: every microtask drained, every tracked real-async call
 * settled), so the interleaving — and every fault decided at a point — depends on the seed alone.
 *
 * A crashed task is frozen, not thrown into: its parked fibers are never resumed, as when a Lambda
 * instance dies mid-invocation, so no `catch` or `finally` of the engine runs for it. The same
 * happens to fibers left parked when their task settles (a `Promise.all` that rejected early): the
 * invocation is over and its process frozen.
 */

/** One unit of work the world runs: a delivery or an advance round on one controller instance. */
export interface Task {
  readonly id: number;
  /** Short label for traces, e.g. `B:alarm-sns#3`. */
  readonly name: string;
  state: 'running' | 'done' | 'failed' | 'crashed';
  /** World time (ms) before which the task's fibers are not picked: a paused instance. */
  pausedUntil: number;
}

interface Parked {
  readonly task: Task;
  readonly label: string;
  readonly resume: () => void;
}

/** How a task ended, reported to the world loop. */
export type TaskEnd =
  | { readonly task: Task; readonly kind: 'done'; readonly detail: string }
  | { readonly task: Task; readonly kind: 'failed'; readonly detail: string };

/** Picks and runs fibers one at a time; keeps the trace. */
export class Scheduler {
  readonly trace: string[] = [];
  #parked: Parked[] = [];
  #nextId = 1;
  #busy = 0;
  #idle: (() => void)[] = [];
  #keepAlive: ReturnType<typeof setInterval> | undefined;
  #ended: TaskEnd[] = [];
  /** The task whose fiber runs right now (effects are attributed to it). */
  running: Task | undefined;

  /** Parks the calling fiber of `task` at `label` until picked; never returns for a frozen task. */
  point(task: Task, label: string): Promise<void> {
    if (task.state !== 'running') return new Promise<void>(() => {});
    return new Promise<void>((resume) => this.#parked.push({ task, label, resume }));
  }

  /** Starts `run` as a new task and lets it run to its first point (or its end). */
  async spawn(name: string, run: (task: Task) => Promise<string>): Promise<Task> {
    const id = this.#nextId++;
    const task: Task = { id, name: `t${id} ${name}`, state: 'running', pausedUntil: 0 };
    this.running = task;
    run(task).then(
      (detail) => this.#end(task, 'done', detail),
      (error: unknown) => this.#end(task, 'failed', describeError(error)),
    );
    await this.quiesce();
    return task;
  }

  /** Fibers waiting to be picked, in the (deterministic) order they parked. */
  get parked(): readonly { readonly task: Task; readonly label: string }[] {
    return this.#parked;
  }

  /** Resumes a parked fiber and waits until the world is quiet again. */
  async resume(fiber: { readonly task: Task; readonly label: string }): Promise<void> {
    const index = this.#parked.indexOf(fiber as Parked);
    const [picked] = this.#parked.splice(index, 1);
    if (index < 0 || !picked) throw new RangeError(`${fiber.task.name} is not parked at ${fiber.label}`);
    this.running = picked.task;
    picked.resume();
    await this.quiesce();
  }

  /** Freezes `task` for good: its parked fibers are dropped and any later point never returns. */
  crash(task: Task): void {
    task.state = 'crashed';
    this.#parked = this.#parked.filter((p) => p.task !== task);
  }

  /** Tasks that ended since the last call. */
  takeEnded(): TaskEnd[] {
    const ended = this.#ended;
    this.#ended = [];
    return ended;
  }

  /**
   * Counts `work` (a call into real adapter code that may wait on timers) as running until it
   * settles, so {@link quiesce} waits for it.
   */
  track<T>(work: Promise<T>): Promise<T> {
    this.#busy += 1;
    // Adapters may wait on unref'd timers (p-retry's backoff is): keep the process alive meanwhile.
    this.#keepAlive ??= setInterval(() => {}, 1000);
    const done = () => {
      this.#busy -= 1;
      if (this.#busy > 0) return;
      clearInterval(this.#keepAlive);
      this.#keepAlive = undefined;
      for (const wake of this.#idle.splice(0)) wake();
    };
    work.then(done, done);
    return work;
  }

  /** Waits until every microtask has run and no tracked call is in flight. */
  async quiesce(): Promise<void> {
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.#busy === 0) return;
      await new Promise<void>((resolve) => this.#idle.push(resolve));
    }
  }

  #end(task: Task, kind: 'done' | 'failed', detail: string): void {
    if (task.state !== 'running') return; // crashed meanwhile: nobody sees the result
    task.state = kind;
    this.#parked = this.#parked.filter((p) => p.task !== task);
    this.#ended.push({ task, kind, detail });
  }
}

function describeError(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map(describeError).join('; ');
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
