import { describe, expect, it } from 'vitest';
import { Random } from '#sim/harness/random.ts';

const draws = (r: Random, n = 5) => Array.from({ length: n }, () => r.next());

describe('Random', () => {
  it('gives the same stream for the same seed, pinned so an algorithm change is noticed', () => {
    expect(draws(new Random(1))).toEqual(draws(new Random(1)));
    expect(draws(new Random(1), 3)).toMatchInlineSnapshot(`
      [
        1980526386,
        2132964969,
        4245692973,
      ]
    `);
  });

  it('gives unrelated streams for neighbouring seeds', () => {
    const a = draws(new Random(1), 50);
    const b = draws(new Random(2), 50);
    expect(a.filter((x, i) => x === b[i])).toEqual([]);
  });

  it('forks independent streams: drawing from a fork does not move the parent', () => {
    const parent = new Random(7);
    const twin = new Random(7);
    const fork = parent.fork('workload');
    draws(fork, 10);
    expect(draws(parent)).toEqual(draws(twin));
    expect(draws(new Random(7).fork('a'))).not.toEqual(draws(new Random(7).fork('b')));
  });

  it.each([1, 2, 7, 1000])('keeps int(%i) within [0, n) and reaches both ends', (n) => {
    const r = new Random(n);
    const seen = Array.from({ length: 5000 }, () => r.int(n));
    expect(Math.min(...seen)).toBe(0);
    expect(Math.max(...seen)).toBe(n - 1);
  });

  it('draws chance(p) about p of the time, and never for p = 0', () => {
    const r = new Random(3);
    const hits = Array.from({ length: 10_000 }, () => r.chance(0.25)).filter(Boolean).length;
    expect(hits).toBeGreaterThan(2300);
    expect(hits).toBeLessThan(2700);
    expect(Array.from({ length: 1000 }, () => r.chance(0)).some(Boolean)).toBe(false);
  });

  it('shuffles into a permutation and refuses impossible draws with a clear error', () => {
    const r = new Random(5);
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(() => r.int(0)).toThrow('Random.int needs a positive integer, got 0');
    expect(() => r.pick([])).toThrow('Random.pick needs a non-empty list');
  });
});
