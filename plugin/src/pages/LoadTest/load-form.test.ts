import type { TestSpec } from '../../api/types';
import { DEFAULT_FORM, fromSpec } from './load-form';

describe('a spec from the engine in the Load test form', () => {
  it('reads its durations as the engine does, compound ones included', () => {
    const closed = {
      name: 'c',
      target: { kind: 'lab' },
      load: { model: 'closed', users: 50, duration: '1m30s' },
    } as TestSpec;
    expect(fromSpec(closed, DEFAULT_FORM).duration).toBe(90);
    const stages = [
      { rate: 10, duration: '1m' },
      { rate: 20, duration: '500ms' },
      { rate: 5, duration: '29.5s' },
    ];
    const open = { name: 'o', target: { kind: 'lab' }, load: { model: 'open', stages } } as TestSpec;
    expect(fromSpec(open, DEFAULT_FORM).duration).toBe(90);
  });

  it("keeps the form's duration when the spec has none it can read", () => {
    const odd = { name: 'x', target: { kind: 'lab' }, load: { model: 'closed', duration: 'soon' } } as TestSpec;
    expect(fromSpec(odd, DEFAULT_FORM).duration).toBe(DEFAULT_FORM.duration);
  });
});
