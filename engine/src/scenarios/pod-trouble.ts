import { z } from 'zod';
import { durationMs } from '../core/duration.js';
import { LIMITS } from '../spec/limits.js';
import { labPodName } from '../spec/pod-names.js';
import { ALWAYS, dur, int, ms, num } from './params.js';
import { defineScenario } from './scenario.js';

const MIN = 60_000;
/** Service times up to 10 s: far above any realistic pod, well inside the lab's 60 s cap. */
const MAX_SERVICE = 10_000;

/** Reports `pod` beyond `pods` (both already range-checked, maybe of the wrong type). */
function podWithin(pods: unknown, pod: unknown, field: string, ctx: z.RefinementCtx): void {
  if (typeof pods === 'number' && typeof pod === 'number' && pod > pods)
    ctx.addIssue({ code: 'custom', path: [field], message: `there are only ${pods} pods (pod-1..pod-${pods})` });
}

export const slowPod = defineScenario({
  name: 'slow-pod',
  title: 'Slow Pod',
  description:
    'One pod serves every request several times slower than the others (a noisy neighbour, a bad node, a cold cache), with few request slots per pod, at a steady arrival rate. Tests whether the balancer notices and sends that pod less.',
  lookFor:
    'Request shares stay equal under round-robin, so the slow pod queues: its in-flight count and p99 climb, and the utilisation balance falls. Least-connections, power-of-two and peak-ewma send the slow pod less and keep p99 low; their request-share score falls instead, which is the right trade.',
  labOnly: true,
  params: z
    .strictObject({
      pods: int('lab pods', 5, 1, LIMITS.maxPods),
      slowPod: int('which pod is slow (1 = pod-1)', 2, 1, LIMITS.maxPods),
      latency: dur('mean service time of a normal pod', '5ms', 0, MAX_SERVICE),
      slowLatency: dur('mean service time of the slow pod', '50ms', 0, MAX_SERVICE),
      concurrency: int('requests a pod serves at once (the rest queue)', 8, 1, 10_000),
      rate: num('arrivals per second', 1000, 1, LIMITS.maxRate),
      duration: dur('test length', '60s', 1000, 60 * MIN),
    })
    .superRefine((p, ctx) => podWithin(p.pods, p.slowPod, 'slowPod', ctx), ALWAYS),
  build: (p) => ({
    name: 'slow-pod',
    target: {
      kind: 'lab',
      pods: p.pods,
      podBehaviour: [
        { latency: `exp:${p.latency}`, concurrency: p.concurrency },
        { pods: [labPodName(p.slowPod)], latency: `exp:${p.slowLatency}` },
      ],
    },
    load: { model: 'open', stages: [{ rate: p.rate, duration: p.duration }] },
  }),
  // A quarter of the lab's capacity: with the default shape (5 pods, 8 slots, 5 ms and 50 ms) an
  // equal share keeps the slow pod just below saturation, where queueing shows without diverging.
  fromCapacity: (c) => ({ rate: 0.25 * c }),
});

/** Steady traffic before the first restart and after the last, so both ends have a baseline. */
const SETTLE_MS = 10_000;

export const rollingRestart = defineScenario({
  name: 'rolling-restart',
  title: 'Rolling Restart',
  description:
    'A rolling update at a steady arrival rate: one pod at a time goes down for a while and comes back, as a Deployment replaces its pods. Tests ejection of the stopped pod, the spreading of its traffic, and whether the restarted pod gets traffic again.',
  lookFor:
    'While a pod is down: a few errors until the balancer ejects it (ejectAfterFailures), then 0 requests to it and even shares over the rest. After it returns: its share should recover within seconds; under L4 with keep-alive it stays cold until connections are recycled.',
  labOnly: true,
  params: z
    .strictObject({
      pods: int('lab pods (restarted one after the other)', 5, 2, 20),
      interval: dur('time between the start of one restart and the next', '10s', 2000, 2 * MIN),
      downtime: dur('how long each pod is down', '5s', 1000, 2 * MIN),
      rate: num('arrivals per second', 500, 1, LIMITS.maxRate),
    })
    .superRefine((p, ctx) => {
      const interval = typeof p.interval === 'string' ? durationMs(p.interval) : undefined;
      const down = typeof p.downtime === 'string' ? durationMs(p.downtime) : undefined;
      // One pod down at a time, as maxUnavailable: 1 does.
      if (interval !== undefined && down !== undefined && down > interval)
        ctx.addIssue({ code: 'custom', path: ['downtime'], message: `must be at most interval (${p.interval})` });
    }, ALWAYS),
  build: (p) => {
    const interval = durationMs(p.interval);
    const total = SETTLE_MS + p.pods * interval + SETTLE_MS;
    return {
      name: 'rolling-restart',
      target: { kind: 'lab', pods: p.pods },
      load: { model: 'open', stages: [{ rate: p.rate, duration: ms(total) }] },
      // A pod-failure restarts the pod when it ends (kill: false), as a ReplicaSet would.
      faults: Array.from({ length: p.pods }, (_, k) => ({
        type: 'pod-failure' as const,
        pods: [labPodName(k + 1)],
        at: ms(SETTLE_MS + k * interval),
        duration: p.downtime,
        kill: false,
      })),
    };
  },
  fromCapacity: (c) => ({ rate: 0.5 * c }),
});
