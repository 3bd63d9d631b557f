import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PodWatch, type PodChange } from '../../src/k8s/pod-watch.js';
import { startClusterHarness, until, type ClusterHarness } from '../k8s-fixture/harness.js';

/**
 * The endpoints watch survives what API servers do to watches: a connection dropped mid-stream
 * (resumed from the last resourceVersion, nothing lost) and a version too old to resume from
 * (410 Gone after compaction: listed afresh). Changes made while the watch was down arrive.
 */

describe('pod watch', () => {
  let h: ClusterHarness;
  let w: PodWatch;
  const changes: PodChange[] = [];
  beforeAll(async () => {
    h = await startClusterHarness({ replicas: 3 });
    w = PodWatch.ofService(h.kube.api(), 'demo', 'demo');
    w.on('change', (c) => changes.push(c));
    await w.start();
  });
  afterAll(async () => {
    w.close();
    await h.close();
  });

  it('lists the endpoints, then reports a pod turning unready and ready again', async () => {
    const pods = h.cluster.podNames();
    expect(w.pods()).toEqual(pods.map((name) => ({ name, ready: true })));
    await h.cluster.setReady(pods[0], false);
    await until(() => w.pods().find((p) => p.name === pods[0])?.ready === false);
    await h.cluster.setReady(pods[0], true);
    await until(() => w.pods().every((p) => p.ready));
    expect(changes.map((c) => [c.kind, c.pod])).toEqual([
      ['pod-unready', pods[0]],
      ['pod-ready', pods[0]],
    ]);
  });

  it('resumes after a dropped connection from where it was', async () => {
    const before = w.stats;
    expect(h.cluster.api.dropWatches()).toBe(1);
    const [p] = h.cluster.podNames();
    await h.cluster.setReady(p, false);
    await until(() => w.pods().find((x) => x.name === p)?.ready === false);
    expect(w.stats.watches).toBeGreaterThan(before.watches);
    expect(w.stats.relists).toBe(before.relists);
    await h.cluster.setReady(p, true);
    await until(() => w.pods().every((x) => x.ready));
  });

  it('lists afresh when its version is gone (410), keeping changes made meanwhile', async () => {
    const before = w.stats;
    const [p] = h.cluster.podNames();
    // Change, compact the history, then drop the connection: the watch comes back with a version the server no longer has.
    h.cluster.store.compact();
    h.cluster.api.dropWatches();
    await h.cluster.setReady(p, false);
    await until(() => w.stats.relists > before.relists);
    await until(() => w.pods().find((x) => x.name === p)?.ready === false);
    // And it watches again, from the fresh list's version.
    await until(() => h.cluster.api.openWatches === 1);
    await h.cluster.setReady(p, true);
    await until(() => w.pods().every((x) => x.ready));
  });
});
