// Discovery as kubectl and client libraries read it: /version, /api, /apis and each group's
// resource list, narrowed to what the server serves at the moment; health endpoints answer ok.

import type { JsonObject } from './json-value.js';
import type { ServerContext } from './requests.js';
import { RESOURCES, type ResourceType } from './store.js';

const VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-endpoints-doctor-test',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function isServed(ctx: ServerContext, r: ResourceType): boolean {
  return ctx.faults.isServed(r.plural, r.group) && ctx.store.serves(r);
}

function servedResources(ctx: ServerContext, group: string, version: string): ResourceType[] {
  return RESOURCES.filter((r) => r.group === group && r.version === version && isServed(ctx, r));
}

function servedGroups(ctx: ServerContext): string[] {
  return [...new Set(RESOURCES.filter((r) => r.group && isServed(ctx, r)).map((r) => r.group))];
}

/** v1 before v1beta1 before v1alpha2: the order (and so the preferred version) the API server gives. */
function versionRank(version: string): number {
  return version.includes('alpha') ? 2 : version.includes('beta') ? 1 : 0;
}

function groupDoc(ctx: ServerContext, name: string): JsonObject {
  const served = RESOURCES.filter((r) => r.group === name && isServed(ctx, r)).map((r) => r.version);
  const versions = [...new Set(served)]
    .sort((a, b) => versionRank(a) - versionRank(b))
    .map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions, preferredVersion: versions[0] };
}

function resourceList(ctx: ServerContext, group: string, version: string): JsonObject | undefined {
  const served = servedResources(ctx, group, version);
  if (served.length === 0) return undefined;
  const resources: JsonObject[] = [];
  for (const r of served) {
    resources.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      // Only what this server answers; writes go through the programmatic store API.
      verbs: ['get', 'list', 'watch'],
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
    });
    if (r.plural === 'pods') {
      resources.push({
        name: 'pods/exec',
        singularName: '',
        namespaced: true,
        kind: 'PodExecOptions',
        verbs: ['create', 'get'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

/** Discovery and the other non-resource paths; a string answers as text/plain, undefined as 404. */
export function nonResource(ctx: ServerContext, path: string): JsonObject | string | undefined {
  if (path === '/version') return VERSION;
  if (path === '/healthz' || path === '/livez' || path === '/readyz') return 'ok';
  if (path === '/api') {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: ctx.address }],
    };
  }
  if (path === '/api/v1') return resourceList(ctx, '', 'v1');
  if (path === '/apis')
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: servedGroups(ctx).map((g) => groupDoc(ctx, g)) };
  const m = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (m && servedGroups(ctx).includes(m[1])) {
    return m[2] ? resourceList(ctx, m[1], m[2]) : { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(ctx, m[1]) };
  }
  // /openapi/v2 and /openapi/v3 answer 404, as on a server with OpenAPI turned off; kubectl get needs neither.
  return undefined;
}
