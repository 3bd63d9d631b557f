import { describe, expect, it } from '@jest/globals';
import { formatSpecDuration, parseDuration } from '../../src/core/duration.js';

describe('formatSpecDuration', () => {
  it('writes whole milliseconds in the largest unit that keeps them exact, and reads back the same', () => {
    const cases: Array<[number, string]> = [
      [0, '0ms'],
      [250, '250ms'],
      [1000, '1s'],
      [1500, '1500ms'],
      [40_000, '40s'],
      [60_000, '1m'],
      [90_000, '90s'],
      [3_600_000, '60m'],
    ];
    for (const [ms, text] of cases) {
      expect(formatSpecDuration(ms)).toBe(text);
      expect(parseDuration(text)).toBe(ms);
    }
    // a fraction of a millisecond is the one thing rounded away
    expect(formatSpecDuration(40_000.4)).toBe('40s');
  });
});
