// Bench (not a test) of the discrete-event simulator:
//   node --import tsx engine/bench/sim.mjs [--requests 3000000] [--rounds 3] [--pods 100] [--load 0.9]
//   (or `npm run bench -- sim`)
// Simulated requests per second for 100 single-server exponential pods at load 0.9 under each
// policy, and the ratio to a bare event loop (the same event queue and draws, random dispatch,
// no policy, balancer, recorder or timeline). Rounds interleave every configuration (the order
// rotates each round) so that a noisy neighbour hits all of them alike; the table shows medians.
// Rates are per CPU second of this process (process.cpuUsage: "per core") and per wall second.
// Then one power-of-two run of 10 million requests, timed on the wall clock.
import { parseArgs } from 'node:util';
import { bareEventLoop } from '../src/sim/baseline.ts';
import { parseSimSpec, planSimulation } from '../src/sim/plan-simulation.ts';
import { simulate } from '../src/sim/simulate.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '3000000' },
    rounds: { type: 'string', default: '3' },
    pods: { type: 'string', default: '100' },
    load: { type: 'string', default: '0.9' },
  },
});
const N = Number(values.requests);
const ROUNDS = Number(values.rounds);
const PODS = Number(values.pods);
const LOAD = Number(values.load);
const SERVICE_MS = 1;
const POLICIES = ['random', 'round-robin', 'least-connections', 'power-of-two', 'peak-ewma'];
const TARGETS = { p2cPerCore: 2_000_000, ratio: 0.5, tenMillionSeconds: 10 };

const planFor = (policy, requests, seed) =>
  planSimulation(parseSimSpec({ policy, pods: PODS, podConcurrency: 1, serviceTime: `exp:${SERVICE_MS}ms`, load: { model: 'open', load: LOAD }, requests, seed }));

/** Runs `fn`, returning CPU seconds (user + system, this process) and wall seconds. */
function timed(fn) {
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const out = fn();
  const cpu = process.cpuUsage(cpu0);
  return { out, cpu: (cpu.user + cpu.system) / 1e6, wall: (performance.now() - wall0) / 1000 };
}

const configs = [
  { name: 'bare event loop', run: (n, seed) => bareEventLoop({ pods: PODS, load: LOAD, meanServiceMs: SERVICE_MS, requests: n, seed }).requests },
  ...POLICIES.map((policy) => ({ name: policy, run: (n, seed) => simulate(planFor(policy, n, seed)).simulatedRequests })),
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (v) => `${(v / 1e6).toFixed(2)} M/s`;

console.log(`simulator bench: ${PODS} pods (concurrency 1, exp:${SERVICE_MS}ms), Poisson arrivals at load ${LOAD}, ${N.toLocaleString('en-US')} requests per run, ${ROUNDS} rounds`);
// Warm-up: let the JIT see every configuration before anything is measured.
for (const c of configs) c.run(200_000, 99);

const perCpu = new Map(configs.map((c) => [c.name, []]));
const perWall = new Map(configs.map((c) => [c.name, []]));
const ratios = new Map(configs.map((c) => [c.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  const order = configs.map((_, i) => configs[(i + round) % configs.length]);
  const roundCpu = new Map();
  for (const c of order) {
    const t = timed(() => c.run(N, round + 1));
    if (t.out !== N) throw new Error(`${c.name} simulated ${t.out} requests, not ${N}`);
    perCpu.get(c.name).push(N / t.cpu);
    perWall.get(c.name).push(N / t.wall);
    roundCpu.set(c.name, N / t.cpu);
  }
  for (const c of configs) ratios.get(c.name).push(roundCpu.get(c.name) / roundCpu.get('bare event loop'));
  process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
}

console.log('');
console.log(`${'configuration'.padEnd(20)}${'per CPU s'.padStart(12)}${'per wall s'.padStart(12)}${'vs bare'.padStart(10)}`);
for (const c of configs) {
  console.log(`${c.name.padEnd(20)}${fmt(median(perCpu.get(c.name))).padStart(12)}${fmt(median(perWall.get(c.name))).padStart(12)}${median(ratios.get(c.name)).toFixed(2).padStart(10)}`);
}

const ten = timed(() => simulate(planFor('power-of-two', 10_000_000, 7)));
console.log('');
console.log(`power-of-two, 10,000,000 requests: ${ten.wall.toFixed(2)} s wall, ${ten.cpu.toFixed(2)} s CPU (${fmt(10_000_000 / ten.wall)} wall)`);

const p2c = median(perCpu.get('power-of-two'));
const ratio = median(ratios.get('power-of-two'));
const check = (ok) => (ok ? 'met' : 'MISSED');
console.log('');
console.log(`target: power-of-two >= ${fmt(TARGETS.p2cPerCore)} per core: ${fmt(p2c)} ${check(p2c >= TARGETS.p2cPerCore)}`);
console.log(`target: power-of-two >= ${TARGETS.ratio}x the bare loop: ${ratio.toFixed(2)}x ${check(ratio >= TARGETS.ratio)}`);
console.log(`target: 10 M requests in < ${TARGETS.tenMillionSeconds} s: ${ten.wall.toFixed(2)} s ${check(ten.wall < TARGETS.tenMillionSeconds)}`);
