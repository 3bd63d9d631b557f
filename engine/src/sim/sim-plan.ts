import type { ThresholdSpec } from '../analysis/thresholds.js';
import type { Distribution } from '../core/distribution.js';
import type { ArrivalStage } from '../load/schedule.js';
import type { PolicyName, PolicyOptions } from '../policies/policy.js';
import type { TestSpec } from '../spec/test-spec.js';

/**
 * A simulation, resolved: every unit in milliseconds, every distribution parsed, every default
 * filled in. Two front doors build it: {@link planSimulation} from a SimSpec (CLI flags, the
 * API) and {@link planFromTestSpec} from a lab TestSpec. The simulator trusts it.
 */
export interface SimPlan {
  name: string;
  /** Seeds every random stream (arrivals, service times, policies, spread, errors, keys). */
  seed: number;
  policy: PolicyName;
  policyOptions: Partial<PolicyOptions>;
  /** l7: the policy places each request; l4: each client connection (kube-proxy). */
  mode: 'l7' | 'l4';
  /** Independent balancer instances (ingress replicas, Envoy workers), each with its own policy state. */
  balancers: number;
  /** How requests (L7) or connections (L4, pooled L7) are spread over the balancers. */
  spread: 'round-robin' | 'random';
  /** Every pod that can ever exist, in name order; the first `initialPods` start in rotation. */
  pods: SimPodPlan[];
  initialPods: number;
  load: SimLoad;
  /** No request is started at or after this virtual time (Infinity: stop by `maxRequests`). */
  durationMs: number;
  /** No more than this many requests are started (Infinity: stop by `durationMs`). */
  maxRequests: number;
  /** Estimated virtual length of the run (ms), to size the timeline windows before running. */
  expectedMs: number;
  /** Client connections (the load generator's pool); undefined: no pool, every request goes straight to a balancer. */
  connections?: SimConnections;
  /** A request older than this when it would start service, or when answered, counts as a timeout. */
  timeoutMs: number;
  /** Open model: arrivals beyond this many requests in flight are dropped (counted in totals.dropped). */
  maxInflight: number;
  /** Length of one timeline window in virtual ms (a live run's is 1 s). */
  windowMs: number;
  /**
   * Timeline windows at most (even). A run that outlasts its estimate merges its windows in
   * pairs and doubles their length when it reaches this many, so the timeline stays bounded.
   */
  maxWindows: number;
  /** Cold pods (scaled up or recovered) serve `factor` times slower at first, recovering linearly over `durationMs`. */
  slowStart?: { durationMs: number; factor: number };
  /** Failures, recoveries and scaling at given virtual times, in time order. */
  events: SimEvent[];
  /** What the plan's source asked for that the simulator does not model (e.g. a TestSpec's latency fault), for the report. */
  notSimulated?: string[];
  thresholds: ThresholdSpec & { balance: number };
  /**
   * consistent-hash without client connections: distinct clients (client key) or distinct values
   * (path, header keys without `request`) drawn per request (sim/hash-keys.ts).
   */
  hashKeys: number;
  /** The request the load generator sends every time (a TestSpec's): its path and headers key consistent-hash. */
  request?: { path: string; headers?: Record<string, string> };
  /** The TestSpec shown in the Result (what a live run of the same workload would carry). */
  spec: TestSpec;
}

/** One pod's behaviour and its two weights (the balancer's, and the capacity expected of it). */
export interface SimPodPlan {
  name: string;
  /** Service time of one request at speed 1. */
  serviceTime: Distribution;
  /** Requests served at once; the rest wait in a FIFO queue. */
  concurrency: number;
  /** Relative speed: service times are divided by it (0.2 = five times slower). */
  speed: number;
  /** Fraction of requests answered with `errorStatus`. */
  errorRate: number;
  errorStatus: number;
  /** Balancer weight (weight-aware policies only). */
  weight: number;
  /** Relative capacity giving the expected share (the spec's `expect`), never the weight. */
  capacity: number;
}

/** Open model: requests arrive whatever the answers; closed: users wait for each answer. */
export type SimLoad =
  | { model: 'open'; arrivals: SimArrivals }
  | { model: 'closed'; users: number; spawnRate: number; thinkTime?: Distribution };

/**
 * Arrival processes of the open model.
 * - poisson: exponential gaps, rate per stage (stages may ramp: a time-changed Poisson process);
 * - constant: the live load generator's exact schedule (load/arrival-schedule.ts);
 * - bursty: on/off, Poisson at `rate × (onMs + offMs) / onMs` during on-periods, so the mean is `rate`.
 */
export type SimArrivals =
  | { process: 'poisson'; stages: ArrivalStage[] }
  | { process: 'constant'; stages: ArrivalStage[] }
  | { process: 'bursty'; rate: number; onMs: number; offMs: number };

/** The client's connections (the load generator's pool). */
export interface SimConnections {
  /** false: a new connection for every request (closed after it). */
  keepAlive: boolean;
  /** At most this many open connections; 0 = as many as needed. */
  maxConnections: number;
  /** Close a connection after this many requests; 0 = never. */
  requestsPerConnection: number;
}

/**
 * fail: the pods go down at once (requests on them fail as resets, their connections close) and
 * stay in rotation as unhealthy; recover: they come back empty (and cold, with slowStart);
 * scale: pods[0, to) are in rotation from then on; pods scaled in drain gracefully.
 */
export type SimEvent =
  | { atMs: number; type: 'fail' | 'recover'; pods: string[] }
  | { atMs: number; type: 'scale'; to: number };
