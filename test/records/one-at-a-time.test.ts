import { describe, expect, it } from 'vitest';
import { oneAtATime } from '../../src/records/one-at-a-time.ts';

describe('record files are made one at a time', () => {
  it('never two tasks at once, in the order given, and a failure does not stop the next', async () => {
    const queue = oneAtATime();
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const task =
      (n: number, fail = false) =>
      async () => {
        running++;
        most = Math.max(most, running);
        // Yield several times, so an overlapping task would get to run in between.
        for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
        order.push(n);
        running--;
        if (fail) throw new Error(`task ${n}`);
        return n;
      };
    const results = await Promise.allSettled([queue(task(1)), queue(task(2, true)), queue(task(3)), queue(task(4))]);
    expect(most).toBe(1);
    expect(order).toEqual([1, 2, 3, 4]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  });
});
