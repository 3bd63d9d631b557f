import { describe, expect, it } from '@jest/globals';
import { DEFAULT_POLICY_OPTIONS, POLICY_NAMES, type PolicyName } from '../../src/policies/policy.js';
import { createPolicy, isPolicyName, PolicyOptionsError, validatePolicyOptions } from '../../src/policies/registry.js';

describe('registry', () => {
  it.each(POLICY_NAMES.map((name) => ({ name })))('creates $name with that name and no deps', ({ name }) => {
    const policy = createPolicy(name);
    expect(policy.name).toBe(name);
    const pods = [{ name: 'p', inflight: 0, weight: 1, healthy: true }];
    expect(policy.pick(pods, { key: 'k' })).toBe(0);
  });

  it('recognises exactly the registered names', () => {
    for (const name of POLICY_NAMES) expect(isPolicyName(name)).toBe(true);
    for (const s of ['', 'Round-Robin', 'roundrobin', 'maglev', 'toString']) expect(isPolicyName(s)).toBe(false);
  });

  it('refuses an unknown name with a RangeError naming the valid ones', () => {
    expect(() => createPolicy('fastest' as PolicyName)).toThrow(/unknown policy "fastest".*round-robin/);
  });

  it('reports every invalid option at once, as a RangeError', () => {
    let error: unknown;
    try {
      createPolicy('power-of-two', { choices: 0, decayMs: -5, virtualNodes: 1.5, hashAlgorithm: 'jump' as 'ring' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RangeError);
    expect(error).toBeInstanceOf(PolicyOptionsError);
    expect((error as PolicyOptionsError).issues.map((i) => i.path)).toEqual(['choices', 'decayMs', 'hashAlgorithm', 'virtualNodes']);
    expect((error as Error).message).toMatch(/choices: must be an integer >= 1, got 0/);
  });

  it.each([
    { options: { choices: 2.5 }, path: 'choices' },
    { options: { choices: Number.NaN }, path: 'choices' },
    { options: { decayMs: 0 }, path: 'decayMs' },
    { options: { decayMs: Number.POSITIVE_INFINITY }, path: 'decayMs' },
    { options: { virtualNodes: 0 }, path: 'virtualNodes' },
    { options: { hashKey: { from: 'cookie' } }, path: 'hashKey.from' },
    { options: { hashKey: { from: 'header', header: '' } }, path: 'hashKey.header' },
    { options: { hashKey: { from: 'header', header: 'bad name' } }, path: 'hashKey.header' },
  ])('refuses $options', ({ options, path }) => {
    const issues = validatePolicyOptions({ ...DEFAULT_POLICY_OPTIONS, ...(options as object) });
    expect(issues.map((i) => i.path)).toEqual([path]);
  });

  it('accepts the defaults and valid values; undefined options keep the defaults', () => {
    expect(validatePolicyOptions(DEFAULT_POLICY_OPTIONS)).toEqual([]);
    expect(validatePolicyOptions({ ...DEFAULT_POLICY_OPTIONS, hashKey: { from: 'header', header: 'X-User-Id' } })).toEqual([]);
    expect(() => createPolicy('peak-ewma', { choices: undefined, decayMs: undefined })).not.toThrow();
  });
});
