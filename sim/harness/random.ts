/**
 * The harness's only source of chance: a seeded PRNG, hand-written so that a seed replays byte for byte
 * on every Node version and machine (no Math.random, no dependency whose algorithm could change under
 * us). xoshiro128** (Blackman & Vigna) has a 2^128 period and passes BigCrush; its state is four 32-bit
 * words seeded through splitmix32 so that nearby seeds (1, 2, 3...) give unrelated streams. Streams are
 * forked by label, so adding a draw in one part of a world (the workload, say) does not shift the
 * draws of another (the scheduler's interleaving).
 */

/** A deterministic stream of random choices. */
export class Random {
  readonly #s: Uint32Array;

  constructor(seed: number | string) {
    const words =
      typeof seed === 'number' ? [seed >>> 0, Math.floor(seed / 2 ** 32) >>> 0] : hashString(seed);
    let x = 0x9e3779b9;
    for (const w of words) x = (Math.imul(x ^ w, 0x85ebca6b) + 0x165667b1) >>> 0;
    this.#s = new Uint32Array(4);
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      this.#s[i] = splitmix32(x);
    }
    if (this.#s.every((w) => w === 0)) this.#s[0] = 1; // the one state xoshiro cannot leave
  }

  /** A new, independent stream named `label`, derived from this one's current state. */
  fork(label: string): Random {
    return new Random(`${label}|${this.#s.join(',')}`);
  }

  /** A 32-bit unsigned integer (xoshiro128**). */
  next(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next() / 2 ** 32;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    if (!(Number.isInteger(n) && n > 0))
      throw new RangeError(`Random.int needs a positive integer, got ${n}`);
    return Math.floor(this.float() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return p > 0 && this.float() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Random.pick needs a non-empty list');
    return items[this.int(items.length)]!;
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function splitmix32(seed: number): number {
  let z = (seed + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a over the string's UTF-16 units, in two lanes. */
function hashString(text: string): number[] {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c ^ (a >>> 7), 0x811c9dc5) >>> 0;
  }
  return [a, b];
}
