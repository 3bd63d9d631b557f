import { isIP } from 'node:net';
import { z } from 'zod';
import { parseDuration } from '../core/duration.js';
import { LIMITS } from '../spec/limits.js';
import { allowListIssues, LOOPBACK_ONLY } from './allow-list.js';
import { parseWith } from '../spec/validate.js';

/**
 * Engine configuration from environment variables, validated once at start. Every variable,
 * its default and its meaning are listed in the README (Configuration).
 */
const positiveInt = (def: number, max: number) => z.coerce.number().int().min(1).max(max).default(def);
const durationEnv = (def: string) =>
  z
    .string()
    .default(def)
    .refine((s) => parseDuration(s) !== undefined, 'not a duration (e.g. 10s)')
    .transform((s) => parseDuration(s) as number);

export const ConfigSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  /** Bearer token required on every route but /health (and /metrics unless METRICS_TOKEN is set). */
  ENGINE_TOKEN: z.string().min(1).optional(),
  /** Separate token for /metrics; when unset, /metrics is open (Prometheus scrapes it). */
  METRICS_TOKEN: z.string().min(1).optional(),
  /** Comma-separated targets the engine may send traffic to: CIDRs, addresses or host names. A malformed entry is refused. */
  ENGINE_ALLOWED_TARGETS: z
    .string()
    .default(LOOPBACK_ONLY)
    .superRefine((v, ctx) => {
      for (const i of allowListIssues(v)) ctx.addIssue({ code: 'custom', message: i.message });
    }),
  /** Serve the API without a token on a non-loopback HOST, on purpose (see api/server.ts). */
  ENGINE_ALLOW_UNAUTHENTICATED: z.stringbool().default(false),
  DATA_DIR: z.string().default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Tests running at once, across all clients. */
  MAX_CONCURRENT_TESTS: positiveInt(4, 64),
  MAX_USERS: positiveInt(LIMITS.maxUsers, LIMITS.maxUsers),
  MAX_RATE: positiveInt(LIMITS.maxRate, LIMITS.maxRate),
  MAX_DURATION: durationEnv('10m'),
  MAX_PODS: positiveInt(LIMITS.maxPods, LIMITS.maxPods),
  /** Request bodies above this are refused with 413. */
  MAX_BODY_BYTES: positiveInt(256 * 1024, 16 * 1024 * 1024),
  /** How long a shutdown may take before the engine exits anyway. */
  SHUTDOWN_TIMEOUT: durationEnv('10s'),
  /** The engine's own namespace (where it runs its load-worker Jobs). */
  K8S_NAMESPACE: z.string().default('default'),
  /** Namespaces kubernetes targets may use (comma-separated); default: K8S_NAMESPACE. Setting it also cleans up leftovers at start. */
  K8S_NAMESPACES: z.string().optional(),
  /** Largest fraction of a target's pods one fault may touch. */
  K8S_MAX_FAULT_FRACTION: z.coerce.number().gt(0).max(1).default(0.5),
  /** Send every change to the cluster with dryRun=All (checked, persisted nowhere). */
  K8S_DRY_RUN: z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1'),
  KUBECONFIG: z.string().optional(),
  /** The engine's image: when set, distributed runs (load.workers > 1) run their workers as an Indexed Job in K8S_NAMESPACE. */
  K8S_WORKER_IMAGE: z.string().min(1).optional(),
  /** ws:// URL at which those workers reach this engine; default ws://scale-engine.<K8S_NAMESPACE>.svc:<WORKER_PORT>/. */
  K8S_WORKER_URL: z.string().regex(/^wss?:\/\//, 'a ws:// or wss:// URL').optional(),
  /** Port of the worker endpoint for cluster workers (listens on HOST); local workers use a free port on 127.0.0.1. */
  WORKER_PORT: z.coerce.number().int().min(1).max(65535).default(8001),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().optional(),
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
});

export type EngineConfig = z.output<typeof ConfigSchema>;

/** The namespaces kubernetes targets may use: K8S_NAMESPACES, else the engine's own K8S_NAMESPACE. */
export function allowedNamespaces(c: EngineConfig): string[] {
  const list = (c.K8S_NAMESPACES ?? c.K8S_NAMESPACE).split(',').map((s) => s.trim()).filter(Boolean);
  return [...new Set(list)];
}

/** Reads the configuration; throws a ValidationError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): EngineConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  return parseWith(ConfigSchema, present);
}

/** True for an address or name that only this machine can reach (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}
