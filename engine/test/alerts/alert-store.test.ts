import { describe, expect, it } from '@jest/globals';
import type { AlertEvent, IncomingAlert } from '../../src/alerts/alert.js';
import { AlertStore } from '../../src/alerts/alert-store.js';
import { labelsFingerprint } from '../../src/alerts/fingerprint.js';

const T0 = Date.parse('2030-01-01T00:00:00Z');
const MIN = 60_000;
const ZERO = '0001-01-01T00:00:00Z';

/** A store on a clock the test moves by hand. */
function storeAt(o: ConstructorParameters<typeof AlertStore>[0] = {}) {
  let now = T0;
  const store = new AlertStore({ now: () => now, ...o });
  const events: AlertEvent[] = [];
  store.subscribe((e) => events.push(e));
  return { store, events, advance: (ms: number) => (now += ms), iso: () => new Date(now).toISOString() };
}

function alert(name: string, test: string, o: Partial<IncomingAlert> = {}): IncomingAlert {
  return {
    status: 'firing',
    labels: { alertname: name, test, severity: 'warning' },
    annotations: { summary: `${name} on ${test}` },
    startsAt: new Date(T0).toISOString(),
    endsAt: ZERO,
    ...o,
  };
}

describe('labelsFingerprint', () => {
  it("matches Alertmanager's FNV-1a over sorted names (values from prometheus/common's signature tests)", () => {
    // prometheus/common model/signature_test.go TestLabelsToSignature (same hash as the fingerprint)
    expect(labelsFingerprint({})).toBe(BigInt('14695981039346656037').toString(16));
    expect(labelsFingerprint({ name: 'garland, briggs', fear: 'love is not enough' })).toBe(BigInt('5799056148416392346').toString(16).padStart(16, '0'));
    // order of insertion does not matter
    expect(labelsFingerprint({ b: '2', a: '1' })).toBe(labelsFingerprint({ a: '1', b: '2' }));
    expect(labelsFingerprint({ a: '1', b: '2' })).not.toBe(labelsFingerprint({ a: '1', b: '3' }));
  });
});

describe('AlertStore', () => {
  it('keeps a firing alert once per fingerprint and announces only changes of state', () => {
    const { store, events, advance } = storeAt();
    const a = alert('ScaleImbalance', 'l4/1a2b3c4d', { fingerprint: '00000000000000aa' });
    expect(store.ingest([a])).toEqual({ received: 1, firing: 1, resolved: 0, ignored: 0, evicted: 0 });
    advance(MIN);
    // Alertmanager repeats the group: same episode, nothing new to announce, fields refreshed.
    const summary = store.ingest([{ ...a, annotations: { summary: 'score 0.41' } }]);
    expect(summary.firing).toBe(0);
    expect(events.map((e) => e.kind)).toEqual(['firing']);
    const [listed] = store.list();
    expect(listed).toMatchObject({ fingerprint: '00000000000000aa', name: 'ScaleImbalance', status: 'firing', annotations: { summary: 'score 0.41' } });
    expect(Date.parse(listed.updatedAt) - Date.parse(listed.receivedAt)).toBe(MIN);
    expect(listed.endsAt).toBeUndefined();
  });

  it('records the end of a resolved alert, fires again as a new episode, and ignores a late firing retry', () => {
    const { store, events, advance } = storeAt();
    const a = alert('ScaleImbalance', 't/1', { fingerprint: '01' });
    store.ingest([a]);
    advance(MIN);
    const end = new Date(T0 + MIN).toISOString();
    expect(store.ingest([{ ...a, status: 'resolved', endsAt: end }]).resolved).toBe(1);
    expect(store.list()[0]).toMatchObject({ status: 'resolved', startsAt: a.startsAt, endsAt: end });
    // A retried delivery of the old firing notice must not revive it.
    expect(store.ingest([a]).ignored).toBe(1);
    expect(store.list()[0].status).toBe('resolved');
    advance(MIN);
    const again = { ...a, startsAt: new Date(T0 + 2 * MIN).toISOString() };
    expect(store.ingest([again]).firing).toBe(1);
    expect(store.list()[0]).toMatchObject({ status: 'firing', startsAt: again.startsAt });
    expect(store.list()[0].endsAt).toBeUndefined();
    // Nor may a late resolve of the first episode end the second.
    expect(store.ingest([{ ...a, status: 'resolved', endsAt: end }]).ignored).toBe(1);
    expect(store.list()[0].status).toBe('firing');
    expect(events.map((e) => e.kind)).toEqual(['firing', 'resolved', 'firing']);
  });

  it('derives the fingerprint from the labels when the sender gives none', () => {
    const { store } = storeAt();
    const a = alert('ScaleEngineDown', '');
    store.ingest([a]);
    expect(store.list()[0].fingerprint).toBe(labelsFingerprint(a.labels));
  });

  it('lists firing alerts first (newest start first), then resolved ones (newest end first), and filters', () => {
    const { store } = storeAt();
    const at = (m: number) => new Date(T0 + m * MIN).toISOString();
    store.ingest([
      alert('A', 't/1', { fingerprint: '1', startsAt: at(1) }),
      alert('B', 't/2', { fingerprint: '2', startsAt: at(3) }),
      alert('C', 't/1', { fingerprint: '3', startsAt: at(0), status: 'resolved', endsAt: at(2) }),
      alert('D', 't/2', { fingerprint: '4', startsAt: at(0), status: 'resolved', endsAt: at(4) }),
    ]);
    expect(store.list().map((a) => a.name)).toEqual(['B', 'A', 'D', 'C']);
    expect(store.list({ test: 't/1' }).map((a) => a.name)).toEqual(['A', 'C']);
    expect(store.list({ status: 'resolved' }).map((a) => a.name)).toEqual(['D', 'C']);
    expect(store.active().map((a) => a.name)).toEqual(['B', 'A']);
    expect(store.list({ name: 'A' })).toHaveLength(1);
  });

  it('expires resolved alerts after the retention, and firing alerts nobody repeated for too long', () => {
    const { store, advance } = storeAt({ resolvedRetentionMs: 10 * MIN, staleAfterMs: 60 * MIN });
    store.ingest([alert('Gone', 't/1', { fingerprint: '1', status: 'resolved', endsAt: new Date(T0).toISOString() }), alert('Firing', 't/1', { fingerprint: '2' })]);
    advance(10 * MIN - 1);
    expect(store.list().map((a) => a.name)).toEqual(['Firing', 'Gone']);
    advance(1);
    expect(store.list().map((a) => a.name)).toEqual(['Firing']);
    advance(50 * MIN);
    expect(store.list()).toEqual([]);
    expect(store.stats()).toMatchObject({ firing: 0, resolved: 0, bytes: 0 });
  });

  it('stays within its count bound: resolved alerts go first, then the firing alert delivered least recently', () => {
    const { store, advance } = storeAt({ maxAlerts: 3 });
    store.ingest([alert('old-resolved', 't', { fingerprint: '1', status: 'resolved', endsAt: new Date(T0).toISOString() })]);
    advance(1000);
    store.ingest([alert('f1', 't', { fingerprint: '2' })]);
    advance(1000);
    store.ingest([alert('f2', 't', { fingerprint: '3' })]);
    advance(1000);
    expect(store.ingest([alert('f3', 't', { fingerprint: '4' })]).evicted).toBe(1);
    expect(store.list().map((a) => a.name).sort()).toEqual(['f1', 'f2', 'f3']);
    advance(1000);
    store.ingest([alert('f1', 't', { fingerprint: '2' })]); // f1 repeated: now f2 is the stalest
    expect(store.ingest([alert('f4', 't', { fingerprint: '5' })]).evicted).toBe(1);
    expect(store.list().map((a) => a.name).sort()).toEqual(['f1', 'f3', 'f4']);
    expect(store.stats()).toMatchObject({ firing: 3, evicted: 2 });
  });

  it('stays within its byte bound whatever a delivery holds', () => {
    const { store } = storeAt({ maxBytes: 50_000 });
    const big = (i: number) => alert(`Big${i}`, 't', { fingerprint: i.toString(16), annotations: { description: 'x'.repeat(8000) } });
    store.ingest(Array.from({ length: 20 }, (_, i) => big(i)));
    const { bytes, firing, evicted } = store.stats();
    expect(bytes).toBeLessThanOrEqual(50_000);
    expect(firing).toBe(6);
    expect(evicted).toBe(14);
  });

  it('strips escape sequences and control characters from labels and annotations', () => {
    const { store } = storeAt();
    store.ingest([alert('Esc', 't', { fingerprint: '1', annotations: { summary: 'a\u001b[31mred\u0007\nline\tTab\u009b2J' } })]);
    expect(store.list()[0].annotations.summary).toBe('ared\nline\tTab');
  });

  it('refuses nonsensical bounds', () => {
    expect(() => new AlertStore({ maxAlerts: -1 })).toThrow(RangeError);
    expect(() => new AlertStore({ resolvedRetentionMs: Number.NaN })).toThrow(RangeError);
  });
});
