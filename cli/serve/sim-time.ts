/**
 * Simulated time that follows real time: each real second moves the simulated clock `speed` seconds
 * on from where it stood when the server started (a restart goes on from the saved clock, not from
 * the world file's). The clock never moves back.
 */
import type { ManualClock } from '#shared/ports/clock.ts';

export class SimTime {
  readonly #clock: ManualClock;
  readonly #speed: number;
  readonly #wall: () => number;
  readonly #simStart: number;
  readonly #wallStart: number;

  constructor(clock: ManualClock, speed: number, wall: () => number) {
    this.#clock = clock;
    this.#speed = speed;
    this.#wall = wall;
    this.#simStart = clock.now().getTime();
    this.#wallStart = wall();
  }

  /** Moves the simulated clock to where real time × speed has brought it; returns the new time. */
  sync(): Date {
    const target = this.#simStart + (this.#wall() - this.#wallStart) * this.#speed;
    this.#clock.advanceTo(new Date(target));
    return this.#clock.now();
  }
}
