import { describe, expect, it } from '@jest/globals';
import { arrivalSchedule, expectedArrivals } from '../../src/load/arrival-schedule.js';
import { offsets, scheduleOf, shareOf, type Schedule } from '../../src/load/schedule.js';
import { userSchedule, userStartOffset } from '../../src/load/user-schedule.js';

const all = (s: Schedule): number[] => [...offsets(s)];

describe('arrivalSchedule (open model)', () => {
  it('10 req/s for 1 s sends at 0, 100, …, 900 ms exactly', () => {
    const s = arrivalSchedule([{ rate: 10, durationMs: 1000 }]);
    expect(s.count).toBe(10);
    expect(s.durationMs).toBe(1000);
    expect(all(s)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
  });

  it('a ramp 0 → 10 req/s over 2 s sends at the inverse of the integral, t_i = √(i / 2.5) s', () => {
    const s = arrivalSchedule([{ rate: 10, durationMs: 2000, ramp: true }]);
    expect(s.count).toBe(10);
    const got = all(s);
    got.forEach((t, i) => expect(t).toBeCloseTo(1000 * Math.sqrt(i / 2.5), 9));
    expect(got[1]).toBeCloseTo(632.455532, 5);
    expect(got[9]).toBeLessThan(2000);
  });

  it('stage boundaries are exact: 10 req/s then 20 req/s', () => {
    const s = arrivalSchedule([
      { rate: 10, durationMs: 1000 },
      { rate: 20, durationMs: 1000 },
    ]);
    expect(s.count).toBe(30);
    const got = all(s);
    expect(got.slice(0, 10)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(got.slice(10)).toEqual(Array.from({ length: 20 }, (_, k) => 1000 + 50 * k));
  });

  it('a ramp starts from the previous stage rate', () => {
    // 10 req/s for 1 s, then 10 → 20 req/s over 1 s: N(1 + τ) = 10 + 10τ + 5τ².
    const s = arrivalSchedule([
      { rate: 10, durationMs: 1000 },
      { rate: 20, durationMs: 1000, ramp: true },
    ]);
    expect(s.count).toBe(25);
    expect(s.offsetOf(10)).toBe(1000);
    const tau = (k: number): number => (-10 + Math.sqrt(100 + 20 * k)) / 10;
    for (let k = 1; k < 15; k++) expect(s.offsetOf(10 + k)).toBeCloseTo(1000 + 1000 * tau(k), 9);
  });

  it('ramps down, skips a zero-rate stage, and handles fractional counts', () => {
    const down = arrivalSchedule([
      { rate: 10, durationMs: 1000 },
      { rate: 0, durationMs: 2000, ramp: true },
    ]);
    expect(down.count).toBe(20);
    // 10 → 0 over 2 s: N(1 + τ) = 10 + 10τ − 2.5τ²; request 19 at τ = 2 − √0.4 s.
    expect(down.offsetOf(19)).toBeCloseTo(1000 + 1000 * (2 - Math.sqrt(0.4)), 9);
    const gap = arrivalSchedule([
      { rate: 10, durationMs: 1000 },
      { rate: 0, durationMs: 1000 },
      { rate: 10, durationMs: 1000 },
    ]);
    expect(gap.count).toBe(20);
    expect(gap.offsetOf(9)).toBe(900);
    expect(gap.offsetOf(10)).toBe(2000);
    const third = arrivalSchedule([{ rate: 3, durationMs: 1000 }]);
    expect(all(third)).toEqual([0, 1000 / 3, 2000 / 3]);
    expect(arrivalSchedule([{ rate: 2.5, durationMs: 1000 }]).count).toBe(3); // 0, 400, 800
  });

  it('countBefore agrees exactly with the offsets', () => {
    const s = arrivalSchedule([
      { rate: 7, durationMs: 900 },
      { rate: 33, durationMs: 1300, ramp: true },
      { rate: 3, durationMs: 700, ramp: true },
    ]);
    const got = all(s);
    for (let t = -10; t <= 3000; t += 7.5) {
      expect(s.countBefore(t)).toBe(got.filter((o) => o < t).length);
    }
    for (const o of got) expect(s.countBefore(o)).toBe(got.filter((x) => x < o).length);
    expect(expectedArrivals([{ rate: 10, durationMs: 2000, ramp: true }], 1000)).toBeCloseTo(2.5, 12);
  });
});

describe('closed model user starts', () => {
  it('user k starts at k / spawnRate s; users past the duration never start', () => {
    expect(userStartOffset(0, 2)).toBe(0);
    expect(userStartOffset(3, 2)).toBe(1500);
    const s = userSchedule({ users: 10, spawnRate: 5, durationMs: 1000 });
    expect(all(s)).toEqual([0, 200, 400, 600, 800]);
    expect(all(userSchedule({ users: 3, spawnRate: 5, durationMs: 1000 }))).toEqual([0, 200, 400]);
    expect(s.countBefore(401)).toBe(3);
    expect(scheduleOf({ model: 'closed', users: 4, spawnRate: 1, durationMs: 10_000 }).count).toBe(4);
  });
});

describe('shareOf (worker split)', () => {
  it('interleaves: the shares together are exactly the whole schedule', () => {
    const s = arrivalSchedule([
      { rate: 50, durationMs: 1000, ramp: true },
      { rate: 13, durationMs: 777 },
    ]);
    for (const n of [1, 2, 3, 5]) {
      const shares = Array.from({ length: n }, (_, w) => shareOf(s, w, n));
      expect(shares.reduce((sum, x) => sum + x.count, 0)).toBe(s.count);
      expect(shares.flatMap(all).sort((a, b) => a - b)).toEqual(all(s));
      for (const t of [0, 1, 250, 999.5, 1000, 1500, 1777]) {
        expect(shares.reduce((sum, x) => sum + x.countBefore(t), 0)).toBe(s.countBefore(t));
      }
    }
    expect(all(shareOf(arrivalSchedule([{ rate: 10, durationMs: 1000 }]), 1, 2))).toEqual([100, 300, 500, 700, 900]);
  });
});
