import { ScaleError } from '../core/errors.js';
import { describeCall, type ApiCall } from './api-calls.js';

/**
 * Maps what the client library throws to a ScaleError with a stable code and a message a
 * person can act on: 401 (credentials), 403 (names the missing permission, as the Role would
 * have to grant it), 404, 409, 410 and 422 from the API server; a refused or timed-out
 * connection as an unreachable cluster. client-node 1.4 throws ApiException (`code`, `body`,
 * `headers`) for statuses and node-fetch's FetchError (`code`: ECONNREFUSED, ...) for transport.
 */

/** A status an API server answered, with its reason when the body is a Status object. */
export class KubeStatusError extends ScaleError {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    code: ScaleError['code'],
  ) {
    super(code, message);
    this.name = 'KubeStatusError';
  }
}

/** What the failed call was about, for the message. */
export interface CallContext {
  call: ApiCall;
  namespace?: string;
  name?: string;
}

export function toScaleError(err: unknown, ctx: CallContext): ScaleError {
  if (err instanceof ScaleError) return err;
  const what = `${describeCall(ctx.call)}${ctx.name ? ` "${ctx.name}"` : ''}${ctx.namespace ? ` in namespace "${ctx.namespace}"` : ''}`;
  const status = statusOf(err);
  if (status !== undefined) {
    const body = statusBody(err);
    const detail = body?.message ? `: ${body.message}` : '';
    const reason = body?.reason ?? '';
    switch (status) {
      case 401:
        return new KubeStatusError(status, reason, `the Kubernetes API rejected the engine's credentials (401) for ${what}; check the ServiceAccount token or KUBECONFIG`, 'upstream_error');
      case 403:
        return new KubeStatusError(
          status,
          reason,
          `the Kubernetes API refused (403): the engine may not ${describeCall(ctx.call)}${ctx.namespace ? ` in namespace "${ctx.namespace}"` : ''}; grant "${ctx.call.verb}" on "${ctx.call.resource}"${ctx.call.group ? ` in API group "${ctx.call.group}"` : ''} in the engine's Role (k8s/base/engine-rbac.yaml)${detail}`,
          'upstream_error',
        );
      case 404:
        return new KubeStatusError(status, reason, `not found: ${what}${detail}`, 'not_found');
      case 409:
        return new KubeStatusError(status, reason, `conflict on ${what}${detail}`, 'conflict');
      case 410:
        return new KubeStatusError(status, reason, `gone (410) on ${what}${detail}`, 'conflict');
      case 422:
        return new KubeStatusError(status, reason, `the Kubernetes API found ${what} invalid${detail}`, 'invalid_input');
      default:
        return new KubeStatusError(status, reason, `the Kubernetes API answered ${status} for ${what}${detail}`, 'upstream_error');
    }
  }
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT)$/.test(code))
    return new ScaleError('target_unreachable', `the Kubernetes API cannot be reached (${code}) for ${what}`);
  if ((err as { name?: unknown })?.name === 'AbortError' || (err as { type?: unknown })?.type === 'request-timeout')
    return new ScaleError('upstream_timeout', `the Kubernetes API did not answer in time for ${what}`);
  return new ScaleError('upstream_error', `the Kubernetes API call failed for ${what}: ${err instanceof Error ? err.message : String(err)}`);
}

/** The HTTP status of an ApiException (or a watch error with statusCode), else undefined. */
export function statusOf(err: unknown): number | undefined {
  if (err instanceof KubeStatusError) return err.status;
  const e = err as { code?: unknown; statusCode?: unknown; body?: unknown; headers?: unknown };
  if (typeof e?.code === 'number' && e.code >= 100 && e.code < 600 && 'headers' in (e as object)) return e.code;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  return undefined;
}

/** The Status object an API server sends with an error, when the body is one. */
function statusBody(err: unknown): { message?: string; reason?: string } | undefined {
  let body = (err as { body?: unknown })?.body;
  if (typeof body === 'string') {
    const text = body;
    try {
      body = JSON.parse(text);
    } catch {
      return text.length > 0 ? { message: text.slice(0, 300) } : undefined;
    }
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { message?: unknown; reason?: unknown };
  return {
    ...(typeof b.message === 'string' ? { message: b.message.slice(0, 500) } : {}),
    ...(typeof b.reason === 'string' ? { reason: b.reason } : {}),
  };
}
