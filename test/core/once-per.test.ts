import { describe, expect, it } from 'vitest';
import { oncePer } from '../../src/core/once-per.js';

describe('oncePer', () => {
  it('computes once per key object and gives every later call that first answer', () => {
    const calls: object[] = [];
    const lengthOf = oncePer((key: { items: number[] }) => {
      calls.push(key);
      return { length: key.items.length };
    });
    const a = { items: [1, 2] };
    const b = { items: [1, 2] };
    const first = lengthOf(a);
    a.items.push(3);
    expect(lengthOf(a)).toBe(first);
    expect(first).toEqual({ length: 2 });
    // An equal object is another key.
    expect(lengthOf(b)).not.toBe(first);
    expect(calls).toEqual([a, b]);
  });
});
