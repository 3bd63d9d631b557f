/**
 * An alert as the engine keeps it: what Alertmanager delivered to `POST /api/alerts`, with the
 * times the engine first and last heard of it. One per fingerprint (its label set).
 */
/** As Alertmanager names it. */
export type AlertStatus = 'firing' | 'resolved';

export interface Alert {
  /** Identity: Alertmanager's fingerprint of the label set (16 hex digits). */
  fingerprint: string;
  /** The `alertname` label, e.g. `ScaleImbalance`. */
  name: string;
  status: AlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** When the alert started firing (from Prometheus, via Alertmanager), ISO 8601. */
  startsAt: string;
  /** When it resolved; absent while firing. */
  endsAt?: string;
  /** The rule's expression in the Prometheus UI, when the sender gave one. */
  generatorURL?: string;
  /** When the engine first received this episode (a new firing after a resolve starts a new one). */
  receivedAt: string;
  /** When the engine last received it. */
  updatedAt: string;
}

/** One alert as a sender delivers it (after validation). */
export interface IncomingAlert {
  status: AlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
  fingerprint?: string;
}

/**
 * A change of an alert's state, as the live stream shows it: `firing` when an alert starts (or
 * fires again after it had resolved), `resolved` when it ends. Repeated deliveries of an alert
 * whose state did not change emit nothing.
 */
export interface AlertEvent {
  kind: AlertStatus;
  alert: Alert;
}

/** What one delivery did to the store. */
export interface IngestSummary {
  /** Alerts in the delivery. */
  received: number;
  /** Alerts that started (or fired again). */
  firing: number;
  /** Alerts that resolved. */
  resolved: number;
  /** Stale deliveries ignored (a firing notice of an episode already resolved). */
  ignored: number;
  /** Alerts evicted to keep the store within its bounds. */
  evicted: number;
}
