import { afterEach } from '@jest/globals';
import type { Agent } from 'undici';
import { Lab, type LabOptions } from '../../src/lab/lab.js';
import { agent } from './http.js';

/**
 * Per-test lab and client agent, closed after each test whatever happened, so that no worker or
 * socket outlives its test (jest must be able to exit).
 */
export function useLab(): { start(o: LabOptions): Promise<{ lab: Lab; a: Agent }> } {
  let labs: Lab[] = [];
  let agents: Agent[] = [];
  afterEach(async () => {
    await Promise.all([...agents.map((a) => a.close()), ...labs.map((l) => l.close())]);
    labs = [];
    agents = [];
  });
  return {
    async start(o) {
      const lab = await Lab.start(o);
      labs.push(lab);
      const a = agent();
      agents.push(a);
      return { lab, a };
    },
  };
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

export const IMMEDIATE = { latency: { kind: 'fixed', ms: 0 } } as const;
