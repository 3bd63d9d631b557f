/**
 * Closed-form queueing results the simulator is checked against (and that a user can read a
 * simulation against). Times are in units of the mean service time unless stated.
 */

/**
 * M/M/1 mean time in system (waiting + service): 1 / (1 - rho), rho = lambda / mu < 1
 * (Kleinrock, Queueing Systems vol. 1, 1975, §3.2). Random dispatch over n identical
 * single-server pods splits a Poisson stream into n Poisson streams, so each pod is an M/M/1
 * queue at the same rho.
 */
export function mm1TimeInSystem(rho: number): number {
  if (!(rho >= 0 && rho < 1)) throw new RangeError(`rho must be in [0, 1), got ${rho}`);
  return 1 / (1 - rho);
}

/**
 * Erlang's C formula: the probability that an arrival waits in an M/M/c queue with offered load
 * a = lambda / mu Erlangs (a < c). Computed through the Erlang B recursion
 * B(0) = 1, B(k) = a·B(k-1) / (k + a·B(k-1)), then C = c·B / (c - a·(1 - B)), which is stable
 * for large c (Kleinrock vol. 1, §3.5; Cooper, Introduction to Queueing Theory, 1981).
 */
export function erlangC(c: number, a: number): number {
  if (!(Number.isInteger(c) && c >= 1)) throw new RangeError(`c must be an integer >= 1, got ${c}`);
  if (!(a >= 0 && a < c)) throw new RangeError(`offered load must be in [0, c), got ${a}`);
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return (c * b) / (c - a * (1 - b));
}

/** M/M/c mean waiting time before service, in mean service times: C(c, a) / (c - a). */
export function mmcWait(c: number, a: number): number {
  return erlangC(c, a) / (c - a);
}

/**
 * The supermarket model's fixed point (Mitzenmacher, "The Power of Two Choices in Randomized
 * Load Balancing", IEEE TPDS 12(10), 2001, Theorem 3.2; Vvedenskaya, Dobrushin, Karpelevich
 * 1996): n → ∞ single-server exponential queues, Poisson arrivals at rate lambda·n, each sent to
 * the shortest of d queues chosen at random. The fraction of queues with at least i jobs is
 * s_i = lambda^((d^i - 1) / (d - 1)), and the mean time in system is
 * T_d(lambda) = Σ_{i >= 1} lambda^((d^i - d) / (d - 1)) (for d = 1 this is M/M/1's 1 / (1 - lambda)).
 */
export function supermarketTimeInSystem(lambda: number, d: number): number {
  if (!(lambda >= 0 && lambda < 1)) throw new RangeError(`lambda must be in [0, 1), got ${lambda}`);
  if (d === 1) return mm1TimeInSystem(lambda);
  let sum = 0;
  for (let i = 1; i < 64; i++) {
    const term = lambda ** ((d ** i - d) / (d - 1));
    sum += term;
    if (term < 1e-15) break;
  }
  return sum;
}

/** The fixed point's tail: fraction of queues with at least `i` jobs, lambda^((d^i - 1)/(d - 1)). */
export function supermarketTail(lambda: number, d: number, i: number): number {
  return d === 1 ? lambda ** i : lambda ** ((d ** i - 1) / (d - 1));
}
