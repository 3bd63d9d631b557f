import { z } from 'zod';
import { durationMs } from '../core/duration.js';
import { LIMITS } from '../spec/limits.js';
import { ALWAYS, choice, dur, int, ms, num } from './params.js';
import { defineScenario } from './scenario.js';

const MIN = 60_000;

export const scaleUpUnderKeepAlive = defineScenario({
  name: 'scale-up-under-keep-alive',
  title: 'Scale-Up Under Keep-Alive',
  description:
    'Pods are added mid-run while clients keep their connections open and the balancer places connections, not requests (L4, as kube-proxy does). Reproduces "new pods get no traffic": existing connections stay on the old pods.',
  lookFor:
    'After the scale-up the new pods get (almost) no requests and the verdict turns imbalanced over all pods. Set recycle (requests per connection) above 0 to see them catch up as connections are re-established; an L7 balancer spreads requests at once.',
  labOnly: true,
  params: z
    .strictObject({
      pods: int('lab pods at the start', 5, 1, Math.floor(LIMITS.maxPods / 2)),
      added: int('pods added at the scale-up', 5, 1, Math.floor(LIMITS.maxPods / 2)),
      at: dur('when the pods are added', '20s', 1000, 59 * MIN),
      duration: dur('test length', '60s', 2000, 60 * MIN),
      rate: num('arrivals per second', 500, 1, LIMITS.maxRate),
      connections: int('connections kept open by the clients', 32, 1, LIMITS.maxConnections),
      recycle: int('close a connection after this many requests (0 = never)', 0, 0, 1_000_000),
    })
    .superRefine((p, ctx) => {
      const at = typeof p.at === 'string' ? durationMs(p.at) : undefined;
      const total = typeof p.duration === 'string' ? durationMs(p.duration) : undefined;
      // The new pods stay to the end; a second leaves them time to be seen (and the fault's
      // duration well above its 100 ms minimum).
      if (at !== undefined && total !== undefined && at > total - 1000)
        ctx.addIssue({ code: 'custom', path: ['at'], message: `must be at least 1s before the end of the test (${p.duration})` });
    }, ALWAYS),
  build: (p) => ({
    name: 'scale-up-under-keep-alive',
    target: { kind: 'lab', pods: p.pods, mode: 'l4' },
    load: { model: 'open', stages: [{ rate: p.rate, duration: p.duration }] },
    connections: { keepAlive: true, maxConnections: p.connections, requestsPerConnection: p.recycle },
    // Added as pod-(N+1)... and kept to the end of the load (the fault's TTL).
    faults: [{ type: 'scale-up' as const, count: p.added, at: p.at, duration: ms(durationMs(p.duration) - durationMs(p.at)) }],
  }),
  fromCapacity: (c) => ({ rate: 0.5 * c }),
});

export const longLivedConnections = defineScenario({
  name: 'long-lived-connections',
  title: 'Long-Lived Connections',
  description:
    'A few clients, each holding one keep-alive connection for the whole run and sending requests back to back (closed model, one user per connection). With per-connection balancing (L4) each pod gets as many connections as it got at the start, so request shares are quantised.',
  lookFor:
    'Under L4, shares follow the connection count per pod: 8 connections over 5 pods give 2,2,2,1,1 and an imbalanced verdict. Under L7 the shares are even. Recycling connections (recycle > 0) moves L4 back toward even shares.',
  labOnly: false,
  params: z.strictObject({
    pods: int('lab pods', 5, 1, LIMITS.maxPods),
    connections: int('clients, each with one connection', 8, 1, LIMITS.maxUsers),
    mode: choice('lab balancing unit: l4 (per connection) or l7 (per request)', 'l4', ['l4', 'l7'] as const),
    recycle: int('close a connection after this many requests (0 = never)', 0, 0, 1_000_000),
    duration: dur('test length', '60s', 1000, 60 * MIN),
  }),
  build: (p) => ({
    name: 'long-lived-connections',
    target: { kind: 'lab', pods: p.pods, mode: p.mode },
    load: { model: 'closed', users: p.connections, spawnRate: Math.min(p.connections, LIMITS.maxSpawnRate), duration: p.duration },
    connections: { keepAlive: true, maxConnections: Math.min(p.connections, LIMITS.maxConnections), requestsPerConnection: p.recycle },
  }),
});
