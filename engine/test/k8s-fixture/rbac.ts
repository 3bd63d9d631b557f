/**
 * Test fixture: RBAC as the API server evaluates a namespaced Role (the rules of
 * k8s/base/engine-rbac.yaml), and the API server's request-info resolver that turns a REST
 * request into the attributes the rules are matched against (verb, API group, resource with
 * subresource, namespace, name).
 */

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
}

export interface RequestAttributes {
  verb: string;
  group: string;
  version: string;
  /** Plural resource, `resource/subresource` for a subresource. */
  resource: string;
  namespace?: string;
  name?: string;
  /** The rest of a proxy path (pods/proxy). */
  rest?: string;
}

/**
 * Parses `/api/v1/namespaces/ns/pods/name/sub/...` and `/apis/group/version/namespaces/ns/...`
 * into request attributes; undefined for paths that are not namespaced resource requests.
 */
export function requestInfo(method: string, url: URL): RequestAttributes | undefined {
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group = '';
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else return undefined;
  if (rest[0] !== 'namespaces' || rest.length < 3) return undefined;
  const namespace = rest[1];
  const resource = rest[2];
  const name = rest[3];
  const sub = rest[4];
  const watch = url.searchParams.get('watch');
  const isWatch = watch === 'true' || watch === '1';
  let verb: string;
  if (sub === 'proxy') verb = ({ GET: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' } as Record<string, string>)[method] ?? 'get';
  else if (method === 'GET') verb = name ? 'get' : isWatch ? 'watch' : 'list';
  else verb = ({ POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: name ? 'delete' : 'deletecollection' } as Record<string, string>)[method] ?? 'unknown';
  return {
    verb,
    group,
    version,
    resource: sub ? `${resource}/${sub}` : resource,
    namespace,
    ...(name ? { name } : {}),
    ...(sub === 'proxy' ? { rest: '/' + rest.slice(5).join('/') } : {}),
  };
}

/** True when one of the rules grants the request (as the RBAC authorizer decides). */
export function allowed(rules: readonly PolicyRule[], a: RequestAttributes): boolean {
  return rules.some(
    (r) =>
      (r.apiGroups ?? []).some((g) => g === '*' || g === a.group) &&
      (r.resources ?? []).some((res) => res === '*' || res === a.resource) &&
      r.verbs.some((v) => v === '*' || v === a.verb) &&
      (!r.resourceNames || r.resourceNames.length === 0 || (a.name !== undefined && r.resourceNames.includes(a.name))),
  );
}
