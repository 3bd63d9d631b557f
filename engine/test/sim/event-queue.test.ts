import { describe, expect, it } from '@jest/globals';
import { seededRandom } from '../../src/core/random.js';
import { EventQueue } from '../../src/sim/event-queue.js';

describe('EventQueue (typed-array binary heap)', () => {
  it('is empty at first: size 0, topTime Infinity', () => {
    const q = new EventQueue(2);
    expect(q.size).toBe(0);
    expect(q.topTime).toBe(Infinity);
  });

  it('pops in time order under interleaved pushes and pops, growing past its capacity', () => {
    const q = new EventQueue(2);
    const rng = seededRandom(3);
    const mirror: Array<[number, number]> = [];
    const popped: number[] = [];
    let id = 0;
    for (let step = 0; step < 20_000; step++) {
      if (mirror.length === 0 || rng.next() < 0.55) {
        const t = Math.floor(rng.next() * 1000) / 10; // ties on purpose
        q.push(t, id);
        mirror.push([t, id++]);
      } else {
        const t = q.topTime;
        const item = q.pop();
        popped.push(t);
        const i = mirror.findIndex(([mt, mi]) => mt === t && mi === item);
        expect(i).toBeGreaterThanOrEqual(0);
        expect(Math.min(...mirror.map(([mt]) => mt))).toBe(t);
        mirror.splice(i, 1);
      }
      expect(q.size).toBe(mirror.length);
    }
    expect(popped.length).toBeGreaterThan(5000);
  });

  it('drains a batch in sorted order with every payload once', () => {
    const q = new EventQueue(4);
    const rng = seededRandom(9);
    const times = Array.from({ length: 5000 }, () => rng.next() * 1e6);
    times.forEach((t, i) => q.push(t, i));
    const out: number[] = [];
    const ids = new Set<number>();
    while (q.size > 0) {
      out.push(q.topTime);
      ids.add(q.pop());
    }
    expect(out).toEqual([...times].sort((a, b) => a - b));
    expect(ids.size).toBe(5000);
  });
});
