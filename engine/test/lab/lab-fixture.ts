import { afterEach } from '@jest/globals';
import type { Agent } from 'undici';
import type { PodBehaviour } from '../../src/spec/pod-behaviour.js';
import { Lab, type LabOptions, type LabPodOptions } from '../../src/lab/lab.js';
import type { ProxyMode } from '../../src/lab/lab-options.js';
import { agent } from './http.js';

/**
 * Registers an afterEach that closes everything handed to the returned function during the
 * test, whatever happened, so that no worker or socket outlives its test (jest must exit).
 */
export function useCleanup(): <T extends { close(): Promise<unknown> }>(x: T) => T {
  let open: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    const all = open;
    open = [];
    await Promise.allSettled(all.map((x) => x.close()));
  });
  return (x) => {
    open.push(x);
    return x;
  };
}

/** Per-test lab plus a keep-alive client agent, both closed after the test. */
export function useLab(): { start(o: LabOptions): Promise<{ lab: Lab; a: Agent }> } {
  const track = useCleanup();
  return {
    async start(o) {
      const lab = track(await Lab.start(o));
      return { lab, a: track(agent()) };
    },
  };
}

/** A pod that answers at once (fixed:0ms). */
export const IMMEDIATE: Partial<PodBehaviour> = { latency: { kind: 'fixed', ms: 0 } };

/** `n` pods with the same behaviour. */
export function somePods(n: number, behaviour: Partial<PodBehaviour> = IMMEDIATE): LabPodOptions[] {
  return Array.from({ length: n }, () => ({ behaviour }));
}

/** A round-robin lab that ejects quickly and probes every 50 ms. */
export function ejectingLab(mode: ProxyMode, pods: number, ejectAfterFailures: number): LabOptions {
  return { pods: somePods(pods), policy: 'round-robin', mode, ejectAfterFailures, probeIntervalMs: 50 };
}

/** Resolves when `lab` emits `event` for `pod`, rejects after `timeoutMs`. */
export function once(lab: Lab, event: 'ejected' | 'restored', pod: string, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} for ${pod} within ${timeoutMs} ms`)), timeoutMs);
    const on = (p: string): void => {
      if (p !== pod) return;
      clearTimeout(timer);
      lab.off(event, on);
      resolve();
    };
    lab.on(event, on);
  });
}

/** Stops `pod`, returning a promise of its ejection (subscribed before the stop, so none is missed). */
export async function crash(lab: Lab, pod: string): Promise<{ ejected: Promise<void> }> {
  const ejected = once(lab, 'ejected', pod);
  await lab.stopPod(pod);
  return { ejected };
}

/** Starts `pod` again and waits until the proxy has it back in rotation. */
export async function revive(lab: Lab, pod: string): Promise<void> {
  const restored = once(lab, 'restored', pod);
  await lab.startPod(pod);
  await restored;
}
