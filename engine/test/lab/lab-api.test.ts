import { describe, expect, it } from '@jest/globals';
import { DEFAULT_POD_BEHAVIOUR } from '../../src/spec/pod-behaviour.js';
import { Lab, type LabOptions } from '../../src/lab/lab.js';
import { resolveWorkerEntry } from '../../src/lab/start-worker.js';
import { IMMEDIATE, useLab } from './lab-fixture.js';

const fixture = useLab();

describe('Lab API', () => {
  it.each<[string, Partial<LabOptions>, string]>([
    ['no pods', { pods: 0 }, 'pods'],
    ['too many pods', { pods: 1000 }, 'pods'],
    ['unknown policy', { policy: 'fastest' as never }, 'policy'],
    ['bad policy option', { policyOptions: { choices: 0 } }, 'policyOptions.choices'],
    ['unknown policy option', { policyOptions: { turbo: 1 } as never }, 'policyOptions.turbo'],
    ['bad mode', { mode: 'l3' as never }, 'mode'],
    ['duplicate names', { pods: [{ name: 'a' }, { name: 'a' }] }, 'pods.1.name'],
    ['bad name', { pods: [{ name: 'a b' }] }, 'pods.0.name'],
    ['negative weight', { pods: [{ weight: -1 }] }, 'pods.0.weight'],
    ['bad error rate', { pods: [{ behaviour: { errorRate: 2 } }] }, 'pods.0.behaviour.errorRate'],
    ['bad latency', { pods: [{ behaviour: { latency: { kind: 'fixed', ms: -1 } } }] }, 'pods.0.behaviour.latency'],
    ['bad ejection', { ejectAfterFailures: 0 }, 'ejectAfterFailures'],
  ])('rejects %s with invalid_input before starting anything', async (_, patch, path) => {
    const options = { pods: 1, policy: 'round-robin', mode: 'l7', ...patch } as LabOptions;
    await expect(Lab.start(options)).rejects.toMatchObject({
      code: 'invalid_input',
      details: expect.arrayContaining([expect.objectContaining({ path })]),
    });
  });

  it('rejects unknown pods with not_found and bad values with invalid_input; close is idempotent', async () => {
    const { lab } = await fixture.start({ pods: [{ name: 'a', behaviour: IMMEDIATE }], policy: 'random', mode: 'l7', seed: 7 });
    const notFound = { name: 'ScaleError', code: 'not_found' };
    const invalid = { name: 'ValidationError', code: 'invalid_input' };
    await expect(lab.stopPod('nope')).rejects.toMatchObject(notFound);
    await expect(lab.startPod('nope')).rejects.toMatchObject(notFound);
    await expect(lab.removePod('nope')).rejects.toMatchObject(notFound);
    await expect(lab.setBehaviour('nope', {})).rejects.toMatchObject(notFound);
    await expect(lab.setWeights({ nope: 1 })).rejects.toMatchObject(notFound);
    await expect(lab.setBehaviour('a', { concurrency: 0 })).rejects.toMatchObject(invalid);
    await expect(lab.setWeights({ a: Number.NaN })).rejects.toMatchObject(invalid);
    await expect(lab.setPolicy('nope' as never)).rejects.toMatchObject(invalid);
    await expect(lab.addPod({ name: 'a' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(lab.addPod({ weight: -2 })).rejects.toMatchObject(invalid);
    expect(lab.pods()).toEqual([
      { name: 'a', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/), up: true, weight: 1, behaviour: { ...DEFAULT_POD_BEHAVIOUR, ...IMMEDIATE } },
    ]);
    await lab.close();
    await lab.close();
    await expect(lab.addPod()).rejects.toMatchObject({ code: 'conflict' });
    expect(lab.stats()).toEqual([]);
  });

  it('maps a .js worker entry to the .ts source when no build is present', () => {
    const entry = new URL('../../src/lab/pod-worker.js', import.meta.url);
    expect(resolveWorkerEntry(entry).pathname).toMatch(/pod-worker\.ts$/);
    const other = new URL('file:///nowhere/x.mjs');
    expect(resolveWorkerEntry(other)).toBe(other);
  });
});
