import type { Logger } from 'pino';
import type { EngineConfig } from '../config/config.js';
import type { RunManager } from '../runs/run-manager.js';
import type { ResultStore } from '../store/result-store.js';
import type { EngineMetrics } from '../metrics/engine-metrics.js';
import type { FaultManager } from '../chaos/fault-manager.js';
import type { RunDeps } from '../runs/test-run.js';
import type { AutoTuner } from '../tuning/auto-tuner.js';
import type { AlertStore } from '../alerts/alert-store.js';
import type { LiveFeed } from './live-feed.js';

/** What the routes work with; built once by the server (api/server.ts). */
export interface Services {
  config: EngineConfig;
  runs: RunManager;
  store: ResultStore;
  metrics: EngineMetrics;
  live: LiveFeed;
  faults: FaultManager;
  tuner: AutoTuner;
  /** Alerts delivered by Alertmanager (POST /api/alerts). */
  alerts: AlertStore;
  /** How runs open targets and drive load (the tuner's verification runs use it too). */
  runDeps: RunDeps;
  log: Logger;
  version: string;
  startedAt: number;
}
