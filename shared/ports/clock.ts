/** The time source of the core. Never read the wall clock in `shared/`: take a `Clock`. */
export interface Clock {
  now(): Date;
}

/** The real clock, for adapters and composition roots. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock fixed at (or moved to) a given time, for tests and simulations. */
export class ManualClock implements Clock {
  #now: Date;
  constructor(start: Date) {
    this.#now = new Date(start.getTime());
  }
  now(): Date {
    return new Date(this.#now.getTime());
  }
  /** Moves time forward by `seconds` (never backward). */
  advance(seconds: number): void {
    this.#now = new Date(this.#now.getTime() + Math.max(0, seconds) * 1000);
  }
  /** Jumps to `to` when it is later than now. */
  advanceTo(to: Date): void {
    if (to.getTime() > this.#now.getTime()) this.#now = new Date(to.getTime());
  }
}
