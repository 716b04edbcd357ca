// What decides traffic besides the networking.k8s.io/v1 NetworkPolicies the diagnosis evaluates:
// policy kinds it does not evaluate (AdminNetworkPolicy and BaselineAdminNetworkPolicy, which are
// evaluated before and after NetworkPolicies; Cilium's and Calico's own policies), and whether
// the cluster shows a network plugin known to enforce NetworkPolicy at all (the API server only
// stores them: https://kubernetes.io/docs/concepts/services-networking/network-policies/#prerequisites).
// Found by API discovery, then one list of at most one object per kind served.

import { isJsonArray, isJsonObject, stringAt, valueAt } from '../core/json-value.js';
import { ApiStatusError, type ApiClient } from './kube-api.js';

/** A policy kind the diagnosis does not evaluate, as discovery names it. */
interface OtherPolicyKind {
  group: string;
  resource: string;
  namespaced: boolean;
  /** How notes and checks name it. */
  label: string;
}

/** Listed (one object at most) only to say whether they exist: deploy/rbac.yaml grants list on each. */
export const OTHER_POLICY_KINDS: readonly OtherPolicyKind[] = [
  // https://network-policy-api.sigs.k8s.io/: cluster-scoped, installed as CRDs.
  {
    group: 'policy.networking.k8s.io',
    resource: 'adminnetworkpolicies',
    namespaced: false,
    label: 'AdminNetworkPolicy',
  },
  {
    group: 'policy.networking.k8s.io',
    resource: 'baselineadminnetworkpolicies',
    namespaced: false,
    label: 'BaselineAdminNetworkPolicy',
  },
  // https://docs.cilium.io/en/stable/network/kubernetes/policy/
  { group: 'cilium.io', resource: 'ciliumnetworkpolicies', namespaced: true, label: 'CiliumNetworkPolicy' },
  {
    group: 'cilium.io',
    resource: 'ciliumclusterwidenetworkpolicies',
    namespaced: false,
    label: 'CiliumClusterwideNetworkPolicy',
  },
  // Calico's CRDs (crd.projectcalico.org/v1), or its API server's projectcalico.org/v3:
  // https://docs.tigera.io/calico/latest/reference/resources/networkpolicy
  { group: 'crd.projectcalico.org', resource: 'networkpolicies', namespaced: true, label: 'Calico NetworkPolicy' },
  {
    group: 'crd.projectcalico.org',
    resource: 'globalnetworkpolicies',
    namespaced: false,
    label: 'Calico GlobalNetworkPolicy',
  },
  { group: 'projectcalico.org', resource: 'networkpolicies', namespaced: true, label: 'Calico NetworkPolicy' },
  {
    group: 'projectcalico.org',
    resource: 'globalnetworkpolicies',
    namespaced: false,
    label: 'Calico GlobalNetworkPolicy',
  },
];

/** API groups only a plugin that enforces NetworkPolicy serves: its CRDs are there once it is installed. */
const ENFORCING_PLUGINS: Readonly<Record<string, string>> = {
  'cilium.io': 'Cilium',
  'crd.projectcalico.org': 'Calico',
  'projectcalico.org': 'Calico',
};

export interface PolicyEnvironment {
  /** Policy kinds served that hold objects in scope (or could not be listed), which are not evaluated; each once. */
  otherPolicyKinds: string[];
  /** A plugin known to enforce NetworkPolicy whose API the cluster serves; undefined when none shows. */
  enforcingPlugin?: string;
  /** What could not be found out, for the report's notes. */
  notes: string[];
}

/** Why a request failed, in a few words. */
function failure(e: unknown): string {
  if (e instanceof ApiStatusError) return e.status === 403 ? 'forbidden' : `HTTP ${e.status}`;
  return e instanceof Error ? e.message : String(e);
}

/** The group's preferred "group/version" and the names of its resources there. */
async function servedResources(api: ApiClient, groupVersion: string): Promise<Set<string>> {
  const { body } = await api.get(`/apis/${groupVersion}`);
  const resources = valueAt(body, 'resources');
  const names = new Set<string>();
  if (isJsonArray(resources)) for (const r of resources) if (isJsonObject(r)) names.add(stringAt(r, 'name') ?? '');
  return names;
}

/**
 * The policy environment as discovery shows it. `namespace`: where namespaced kinds are looked
 * for (undefined: every namespace). Discovery or a list that fails leaves a note, never an
 * error: this is context for the findings, not input they need, and a server that cannot be
 * reached fails the run's own reads, which say so.
 */
export async function readPolicyEnvironment(api: ApiClient, namespace?: string): Promise<PolicyEnvironment> {
  const preferred = new Map<string, string>();
  try {
    const groups = valueAt((await api.get('/apis')).body, 'groups');
    if (isJsonArray(groups)) {
      for (const g of groups) {
        const name = stringAt(g, 'name');
        const version = stringAt(g, 'preferredVersion', 'groupVersion');
        if (name && version) preferred.set(name, version);
      }
    }
  } catch (e) {
    const note = `API discovery failed (${failure(e)}): whether other policy kinds or a network plugin's own apply is unknown`;
    return { otherPolicyKinds: [], notes: [note] };
  }
  const enforcingPlugin = Object.keys(ENFORCING_PLUGINS)
    .filter((group) => preferred.has(group))
    .map((group) => ENFORCING_PLUGINS[group])[0];
  const groups = [...new Set(OTHER_POLICY_KINDS.map((k) => k.group))].filter((g) => preferred.has(g));
  // Asked concurrently; what each found, notes included, is taken in the table's order, so that a
  // report does not depend on which answer came first.
  const found = await Promise.all(
    groups.map(async (group): Promise<{ labels: string[]; notes: string[] }> => {
      const version = preferred.get(group)!;
      let served: Set<string>;
      try {
        served = await servedResources(api, version);
      } catch (e) {
        return {
          labels: [],
          notes: [`${version} could not be read (${failure(e)}): its policies, if any, are not evaluated`],
        };
      }
      const kinds = OTHER_POLICY_KINDS.filter((k) => k.group === group && served.has(k.resource));
      const held = await Promise.all(kinds.map((kind) => holdsAny(api, version, kind, namespace)));
      return {
        labels: kinds.filter((_, i) => held[i].present).map((k) => k.label),
        notes: held.flatMap((h) => (h.note ? [h.note] : [])),
      };
    }),
  );
  return {
    otherPolicyKinds: [...new Set(found.flatMap((f) => f.labels))],
    ...(enforcingPlugin ? { enforcingPlugin } : {}),
    notes: found.flatMap((f) => f.notes),
  };
}

/** Whether the kind has an object in scope: one list of at most one; refused, it may, and a note says so. */
async function holdsAny(
  api: ApiClient,
  groupVersion: string,
  kind: OtherPolicyKind,
  namespace: string | undefined,
): Promise<{ present: boolean; note?: string }> {
  const path =
    kind.namespaced && namespace
      ? `/apis/${groupVersion}/namespaces/${encodeURIComponent(namespace)}/${kind.resource}`
      : `/apis/${groupVersion}/${kind.resource}`;
  try {
    const items = valueAt((await api.get(path, { limit: '1' })).body, 'items');
    return { present: isJsonArray(items) && items.length > 0 };
  } catch (e) {
    return {
      present: true,
      note: `${kind.label} objects could not be listed (${failure(e)}): those there are not evaluated`,
    };
  }
}
