import { describe, expect, it } from '@jest/globals';
import { rosterOf } from '../../src/targets/declared-pods.js';

describe('rosterOf (the pods a run judges behind a target that declares them)', () => {
  it('without a declaration: only the pods that answered', () => {
    expect(rosterOf(undefined, ['b', 'a', 'b'])).toEqual({ pods: ['b', 'a'], silent: [], undeclared: [] });
  });
  it('by count: the pods that answered, and a placeholder per declared pod that has not', () => {
    expect(rosterOf({ names: [], count: 5 }, ['web-x', 'web-y'])).toEqual({ pods: ['web-x', 'web-y', 'unseen-1', 'unseen-2', 'unseen-3'], silent: ['unseen-1', 'unseen-2', 'unseen-3'], undeclared: [] });
    // more pods answer than were declared: all are judged, the extra ones named
    expect(rosterOf({ names: [], count: 1 }, ['a', 'b'])).toEqual({ pods: ['a', 'b'], silent: [], undeclared: ['b'] });
  });
  it('by name: every declared pod, silent ones named, and any pod that answered undeclared', () => {
    expect(rosterOf({ names: ['a', 'b', 'c'], count: 3 }, ['c', 'z'])).toEqual({ pods: ['a', 'b', 'c', 'z'], silent: ['a', 'b'], undeclared: ['z'] });
  });
});
