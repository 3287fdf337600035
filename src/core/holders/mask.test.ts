import { describe, expect, it } from 'vitest';
import { maskName } from './mask.ts';

describe('maskName', () => {
  it.each([
    ['Zhang Wei', 'Z** Wei'],
    ['Li Xiao Long', 'L** X** Long'],
    ['张伟', '*伟'],
    ['欧阳娜娜', '***娜'],
    ['  Wang   Fang ', 'W** Fang'],
    ['X', '*'],
    ['Li Na', 'L** Na'],
  ])('%s → %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});
