/**
 * Defaults that a live run and a simulation share, so that `scale run` and `scale simulate`
 * with the same flags describe the same pods: how many, how fast, how many requests each
 * serves at once. The TestSpec, the pod model (spec/pod-behaviour.ts) and the simulation spec all read them.
 */
export const POD_DEFAULTS = {
  pods: 5,
  /** A distribution (core/distribution.ts grammar). */
  serviceTime: 'exp:5ms',
  concurrency: 64,
} as const;
