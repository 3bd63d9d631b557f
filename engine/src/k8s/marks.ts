/**
 * How the engine marks what it does in a cluster, so that it can be undone even after a
 * crash (janitor.ts): every object it creates carries MANAGED_BY (and the run's id); every
 * object it changes carries CHANGED_LABEL and, in RESTORE_ANNOTATION, the JSON merge patch
 * that puts back what it changed (the values it replaced, null for fields it added).
 * Pure functions only.
 */

export const MANAGED_BY_KEY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'scale-engine';
/** Selector of the objects the engine created. */
export const MANAGED_SELECTOR = `${MANAGED_BY_KEY}=${MANAGED_BY_VALUE}`;
export const RUN_LABEL = 'scale.dev/run';
export const CHANGED_LABEL = 'scale.dev/changed';
/** Selector of the objects the engine changed (and has not restored yet). */
export const CHANGED_SELECTOR = `${CHANGED_LABEL}=true`;
export const RESTORE_ANNOTATION = 'scale.dev/restore';
/** Label a partition puts on the pods it isolates (the NetworkPolicy selects it). */
export const ISOLATED_LABEL = 'scale.dev/isolated';
/** The ReplicaSet controller removes pods with a lower cost first (Kubernetes ≥ 1.22). */
export const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Labels of an object the engine creates for run `runId`. */
export function createdLabels(runId?: string): Record<string, string> {
  return { [MANAGED_BY_KEY]: MANAGED_BY_VALUE, ...(runId ? { [RUN_LABEL]: runId.slice(0, 63) } : {}) };
}

/** The merge patch undoing `patch` on `current`: each patched leaf back to its value, or null (absent before). */
export function inversePatch(current: unknown, patch: unknown): Json {
  if (!isObject(patch)) return (current as Json) ?? null;
  const out: JsonObject = {};
  const cur = isObject(current) ? current : {};
  for (const [k, v] of Object.entries(patch)) {
    out[k] = isObject(v) && isObject(cur[k]) ? inversePatch(cur[k], v) : cur[k] === undefined ? null : structuredClone(cur[k]);
  }
  return out;
}

/** Merges two restore patches; `older` wins where both set a field (it holds the original value). */
export function mergeRestores(older: Json, newer: Json): Json {
  if (!isObject(older) || !isObject(newer)) return older;
  const out: JsonObject = { ...newer };
  for (const [k, v] of Object.entries(older)) out[k] = k in newer && isObject(v) && isObject(newer[k]) ? mergeRestores(v, newer[k]) : v;
  return out;
}

/** The restore patch an object carries, if it carries one that parses. */
export function restoreOf(obj: { metadata?: { annotations?: Record<string, string> } } | undefined): Json | undefined {
  const text = obj?.metadata?.annotations?.[RESTORE_ANNOTATION];
  if (!text) return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/**
 * `patch`, plus the marks: CHANGED_LABEL and the restore patch (this change's inverse merged
 * under whatever the object already carried, so the original values survive several changes).
 */
export function markedPatch(current: { metadata?: { annotations?: Record<string, string> } } | undefined, patch: JsonObject): JsonObject {
  const restore = mergeRestores(restoreOf(current) ?? {}, inversePatch(current ?? {}, patch));
  const meta = isObject(patch.metadata) ? patch.metadata : {};
  const marks = marksFor(restore).metadata as JsonObject;
  return {
    ...patch,
    metadata: {
      ...meta,
      labels: { ...(isObject(meta.labels) ? meta.labels : {}), ...(marks.labels as JsonObject) },
      annotations: { ...(isObject(meta.annotations) ? meta.annotations : {}), ...(marks.annotations as JsonObject) },
    },
  };
}

/** Only the marks: CHANGED_LABEL and `restore` as the restore patch. */
export function marksFor(restore: Json): JsonObject {
  return { metadata: { labels: { [CHANGED_LABEL]: 'true' }, annotations: { [RESTORE_ANNOTATION]: JSON.stringify(restore) } } };
}

/** The patch that puts back everything an object's restore annotation records and removes the marks. */
export function restoringPatch(current: { metadata?: { annotations?: Record<string, string> } } | undefined): JsonObject {
  const restore = restoreOf(current);
  const base = isObject(restore) ? restore : {};
  const meta = isObject(base.metadata) ? base.metadata : {};
  return {
    ...base,
    metadata: {
      ...meta,
      labels: { ...(isObject(meta.labels) ? meta.labels : {}), [CHANGED_LABEL]: null },
      annotations: { ...(isObject(meta.annotations) ? meta.annotations : {}), [RESTORE_ANNOTATION]: null },
    },
  };
}

/** The patch that removes the marks only (what was changed stays: its own rollback restored it). */
export function unmarkPatch(): JsonObject {
  return { metadata: { labels: { [CHANGED_LABEL]: null }, annotations: { [RESTORE_ANNOTATION]: null } } };
}

export type { Json, JsonObject };
