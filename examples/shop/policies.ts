// Namespace secure, where the security team rolled out NetworkPolicies last week: a default-deny
// for ingress, then one allow policy per application, written from the Services' manifests.
// The portal is also published through the ingress-nginx controller, which its policy forgot.

import { namespace, networkPolicy, type Raw } from '../../test/support/objects.js';
import { requiredObject } from '../../test/support/required-fields.js';
import { stringAt } from '../../src/core/json-value.js';
import { CLUSTER_CREATED, uid } from './ids.js';
import { nginxIngress } from './ingresses.js';
import { app, appLabels, replicaSetPods } from './pods.js';
import { buildService, HTTP } from './services.js';
import type { Shop } from './shop-builder.js';

const NS = 'secure';
const ROLLED_OUT = '2026-11-20T14:30:00Z';

function policy(name: string, spec: Raw): Raw {
  const raw = networkPolicy(name, spec, { ns: NS });
  Object.assign(requiredObject(raw, 'metadata'), {
    uid: uid(`networkpolicy/${NS}/${name}`),
    creationTimestamp: ROLLED_OUT,
  });
  return raw;
}

/** Two ready pods of `name` on workers a1 and b1, `extra` labels on their template. */
function pods(name: string, tag: string, extra: Record<string, string> = {}, created = '2026-11-18T09:00:00Z'): Raw[] {
  const template = app(name, tag);
  return replicaSetPods(name, tag, { ...template, ns: NS, labels: { ...template.labels, ...extra } }, [
    { node: 'worker-a1', created },
    { node: 'worker-b1', created },
  ]);
}

const service = (name: string) => buildService({ ns: NS, name, created: '2026-06-02T11:00:00Z', ports: [HTTP] });
const selecting = (name: string, extra: Record<string, string> = {}) => ({
  matchLabels: { ...appLabels(name), ...extra },
});

/**
 * secure/vault: its allow policy admits port 80, the Service's port, while the pods are reached on
 * 8080 → networkpolicy-blocks-backends, networkpolicy-port-mismatch.
 * secure/ledger: the allow policy selects track=stable, and the canary added since is not →
 * networkpolicy-blocks-some-backends.
 * secure/statements: admitted from the ingress controller's namespace only →
 * networkpolicy-restricts-sources (an info: it names who may connect).
 * secure/audit: its allow policy admits the port from everywhere (healthy).
 * teller (a Deployment, no Service): the client of ledger. Its egress policy admits ledger's pods on
 * 8080 and nothing else, not even the cluster DNS: `--from deployment/teller` shows it
 * (networkpolicy-blocks-dns), and that ledger's canary is shut on the backend side.
 * secure/portal: its allow policy admits the namespace's own pods only, and Ingress secure/portal
 * sends it the customers' requests through the ingress-nginx controller, whose pods are not
 * admitted → networkpolicy-blocks-referrer (and networkpolicy-restricts-sources names who is).
 */
export function secure(shop: Shop): void {
  shop.workload(service('vault'), pods('vault', '3.2.0'));
  shop.workload(service('ledger'), [
    ...pods('ledger', '7.0.1', { track: 'stable' }),
    ...pods('ledger', '7.1.0-rc1', { track: 'canary' }, '2026-11-26T17:20:00Z').slice(0, 1),
  ]);
  shop.workload(service('statements'), pods('statements', '1.9.4'));
  shop.workload(service('audit'), pods('audit', '2.2.0'));
  shop.add(...pods('teller', '4.0.2', {}, '2026-11-21T10:00:00Z'));
  shop.workload(service('portal'), pods('portal', '5.0.3', {}, '2026-11-24T10:00:00Z'));
  shop.add(
    policy('default-deny', { podSelector: {}, policyTypes: ['Ingress'] }),
    policy('vault', {
      podSelector: selecting('vault'),
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: 80 }] }],
    }),
    policy('ledger', {
      podSelector: selecting('ledger', { track: 'stable' }),
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: 'http' }] }],
    }),
    policy('statements', {
      podSelector: selecting('statements'),
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
          ports: [{ protocol: 'TCP', port: 'http' }],
        },
      ],
    }),
    policy('teller', {
      podSelector: selecting('teller'),
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: selecting('ledger') }], ports: [{ protocol: 'TCP', port: 8080 }] }],
    }),
    policy('audit', {
      podSelector: selecting('audit'),
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: 8080 }] }],
    }),
    policy('portal', {
      podSelector: selecting('portal'),
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: 'http' }] }],
    }),
    nginxIngress(NS, 'portal', '2026-11-24T10:05:00Z', {
      paths: [{ host: 'portal.shop.example.com', path: '/', service: 'portal', port: 'http' }],
    }),
  );
}

/** The Namespace of every namespace the objects are in, as the API server labels them (kubernetes.io/metadata.name). */
export function namespacesOf(objects: Raw[]): Raw[] {
  const names = new Set(objects.flatMap((o) => stringAt(o, 'metadata', 'namespace') ?? []));
  return [...names].sort().map((name) => {
    const raw = namespace(name);
    Object.assign(requiredObject(raw, 'metadata'), {
      uid: uid(`namespace/${name}`),
      creationTimestamp: CLUSTER_CREATED,
    });
    return raw;
  });
}
