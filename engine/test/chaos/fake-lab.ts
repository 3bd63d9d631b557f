import { ScaleError } from '../../src/core/errors.js';
import type { ChaosLab, ChaosPod } from '../../src/chaos/fault.js';
import { DEFAULT_POD_BEHAVIOUR } from '../../src/spec/pod-behaviour.js';
import type { LabPodOptions } from '../../src/lab/lab-options.js';
import type { Partition } from '../../src/lab/partition.js';
import { mergePodFaults, type PodFaults } from '../../src/lab/pod-faults.js';

/** An in-memory ChaosLab: records every call, can be told to fail on a pod. */
export class FakeLab implements ChaosLab {
  readonly calls: string[] = [];
  readonly faults = new Map<string, PodFaults>();
  readonly partitions = new Map<string, Partition>();
  private readonly list: ChaosPod[];
  /** Calls on this pod reject with an engine_error. */
  failOn: string | undefined;

  constructor(n: number) {
    this.list = Array.from({ length: n }, (_, i) => ({ name: `pod-${i + 1}`, up: true, weight: 1, behaviour: { ...DEFAULT_POD_BEHAVIOUR } }));
  }

  pods(): ChaosPod[] {
    return this.list.map((p) => ({ ...p }));
  }
  async stopPod(name: string) {
    this.pod(name, 'stopPod').up = false;
  }
  async startPod(name: string) {
    this.pod(name, 'startPod').up = true;
  }
  async addPod(o: LabPodOptions = {}) {
    let n = 1;
    while (this.list.some((p) => p.name === `pod-${n}`)) n++;
    const name = o.name ?? `pod-${n}`;
    if (this.list.some((p) => p.name === name)) throw new ScaleError('invalid_input', `pod "${name}" already exists`);
    this.calls.push(`addPod ${name}`);
    this.list.push({ name, up: true, weight: o.weight ?? 1, behaviour: { ...DEFAULT_POD_BEHAVIOUR, ...o.behaviour } });
    return name;
  }
  async removePod(name: string) {
    this.pod(name, 'removePod');
    this.list.splice(this.list.findIndex((p) => p.name === name), 1);
  }
  async setPodFaults(name: string, patch: Partial<PodFaults>) {
    this.pod(name, 'setPodFaults');
    this.faults.set(name, mergePodFaults(this.faults.get(name) ?? {}, patch));
  }
  async setPartition(name: string, p: Partition | undefined) {
    this.pod(name, 'setPartition');
    if (p) this.partitions.set(name, p);
    else this.partitions.delete(name);
  }

  private pod(name: string, op: string): ChaosPod {
    this.calls.push(`${op} ${name}`);
    if (this.failOn === name) throw new ScaleError('engine_error', `${op} failed on ${name}`);
    const p = this.list.find((x) => x.name === name);
    if (!p) throw new ScaleError('not_found', `no pod named "${name}"`);
    return p;
  }
}

/** A metrics sink that remembers the last value of each `scale_fault_active` series. */
export class FaultGauge {
  readonly values = new Map<string, boolean>();
  setFault(test: string, type: string, pod: string, active: boolean): void {
    this.values.set(`${test} ${type} ${pod}`, active);
  }
  active(): string[] {
    return [...this.values].filter(([, v]) => v).map(([k]) => k);
  }
}
