import { describe, expect, it } from 'vitest';
import { perTurn } from './per-turn.ts';

describe('perTurn', () => {
  it('one load per turn for the union of the keys; each caller gets its own keys that were found', async () => {
    const loads: string[][] = [];
    const read = perTurn(async (keys: string[]) => {
      loads.push([...keys].sort());
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.toUpperCase()]));
    });
    const [a, b, c] = await Promise.all([read(['x', 'y']), read(['y', 'missing']), read(['z'])]);
    expect(loads).toEqual([['missing', 'x', 'y', 'z']]);
    expect([...a]).toEqual([['x', 'X'], ['y', 'Y']]);
    expect([...b]).toEqual([['y', 'Y']]);
    expect([...c]).toEqual([['z', 'Z']]);
    await read(['q']); // a later turn loads again
    expect(loads).toHaveLength(2);
    expect(await read([])).toEqual(new Map());
    expect(loads).toHaveLength(2);
  });

  it('a failed load fails every caller of that turn, and the next turn loads afresh', async () => {
    let fail = true;
    const read = perTurn(async (keys: string[]) => {
      if (fail) throw new Error('store unavailable');
      return new Map(keys.map((k) => [k, 1]));
    });
    const results = await Promise.allSettled([read(['a']), read(['b'])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect([...(await read(['a']))]).toEqual([['a', 1]]);
  });
});
