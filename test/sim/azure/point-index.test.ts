import { describe, expect, it } from 'vitest';
import { pointsUnder } from '#sim/azure/point-index.ts';

const INSTANCE =
  '/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataProtection/backupVaults/v/backupInstances/db';
const prefixOf = (owner: string) => `${owner.toLowerCase()}/recoverypoints/`;

describe('pointsUnder', () => {
  const points = [
    { id: `${INSTANCE}/recoveryPoints/rp-1` },
    { id: `${INSTANCE.toUpperCase()}/RECOVERYPOINTS/rp-2` },
    { id: `${INSTANCE}-other/recoveryPoints/rp-3` },
    { id: `${INSTANCE}/recoveryPoints/rp-4` },
    { name: 'no id' },
  ];

  it('finds an owner’s points whatever the case of their ids, in the order of the world', () => {
    expect(pointsUnder(points, prefixOf(INSTANCE)).map((p) => p['id'])).toEqual([
      `${INSTANCE}/recoveryPoints/rp-1`,
      `${INSTANCE.toUpperCase()}/RECOVERYPOINTS/rp-2`,
      `${INSTANCE}/recoveryPoints/rp-4`,
    ]);
  });

  it('does not give an owner the points of another whose id starts the same', () => {
    expect(pointsUnder(points, prefixOf(`${INSTANCE}-other`)).map((p) => p['id'])).toEqual([
      `${INSTANCE}-other/recoveryPoints/rp-3`,
    ]);
  });

  it('answers a prefix that is not an owner listing as a scan would', () => {
    expect(pointsUnder(points, '/subscriptions/s/')).toHaveLength(4);
  });

  it('sees a point added to the world after the first listing', () => {
    const world = [{ id: `${INSTANCE}/recoveryPoints/rp-1` }];
    expect(pointsUnder(world, prefixOf(INSTANCE))).toHaveLength(1);
    world.push({ id: `${INSTANCE}/recoveryPoints/rp-2` });
    expect(pointsUnder(world, prefixOf(INSTANCE))).toHaveLength(2);
  });
});
