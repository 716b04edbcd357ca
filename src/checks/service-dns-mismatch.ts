// The Service's own name does not resolve to its addresses from the vantage point: no such name,
// other addresses, or no answer (docs/kubernetes-semantics.md#what-a-services-name-resolves-to).

import { canonicalIP } from '../core/ip.js';
import { SYSTEM_RESOLVER } from '../sources/connect/dns.js';
import { kubectl, listSome } from './helpers.js';
import type { LookupConnectCheck } from './types.js';

const DNS_PODS = kubectl('get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns');

export const serviceDnsMismatch: LookupConnectCheck = {
  id: 'service-dns-mismatch',
  severity: 'error',
  title: "The Service's name does not resolve to its addresses",
  explanation:
    'Clients find a Service by its name, NAME.NAMESPACE.svc.cluster.local, which cluster DNS must resolve to the ' +
    "Service's cluster IPs (one A or AAAA record each) or, for a headless Service, to the addresses of its ready " +
    'endpoints (Kubernetes DNS-Based Service Discovery, section 2.4). --connect asks for that name over UDP from ' +
    'the vantage point: NXDOMAIN for a Service that exists, or other addresses than the cluster IPs, means the ' +
    'cluster DNS does not serve this Service (its kubernetes plugin does not watch the namespace or the zone, or ' +
    'it is stale); no answer means the DNS service is down or unreachable from there. For a headless Service a ' +
    "difference can be a lag: its records follow the endpoints after the records' TTL and the cache. The name " +
    'asked ends in cluster.local; kubernetes.default.svc.cluster.local, which every cluster has, is asked too, ' +
    'and when it does not exist either the cluster domain may be another: no NXDOMAIN is then judged, and a note ' +
    'says so.',
  fix:
    'Check the cluster DNS pods and their logs (kubectl get pods -n kube-system -l k8s-app=kube-dns; kubectl logs ' +
    '-n kube-system -l k8s-app=kube-dns), that its Corefile serves the cluster domain, and, for no answer, the ' +
    'NetworkPolicies and the kube-dns Service between the vantage point and the DNS pods.',
  messages: {
    noSuchName:
      '{{name}} does not exist for the DNS asked from {{vantage}} ({{server}}: NXDOMAIN), though the Service does',
    wrongAddresses:
      '{{name}} resolves from {{vantage}} ({{server}}) to {{got}}, not to the cluster IP {{expected}}: clients reach something else',
    wrongEndpoints:
      '{{name}} resolves from {{vantage}} ({{server}}) to {{got}}; the ready endpoints are {{expected}} (DNS may lag the endpoints)',
    noAnswer: 'the DNS asked from {{vantage}} ({{server}}) did not answer for {{name}}: {{detail}}',
  },
  severities: { wrongEndpoints: 'warning', noAnswer: 'warning' },
  input: 'connect',
  runLookup(lookup) {
    const { answer, name, vantage, expected } = lookup;
    const server = answer.server === SYSTEM_RESOLVER ? "this machine's resolver" : answer.server;
    const data = { name, vantage, server };
    // This machine's own resolver need not know the cluster domain: only what it answers is judged.
    const judgesFailures = answer.server !== SYSTEM_RESOLVER;
    switch (answer.result) {
      case 'skipped':
        return [];
      case 'nxdomain':
        // A headless Service without ready endpoints has no records; with the domain in doubt
        // (kubernetes.default does not exist either), the name asked may not be the cluster's.
        return judgesFailures && expected.length > 0 && !lookup.domainInDoubt
          ? [{ reason: 'noSuchName', data, fix: DNS_PODS }]
          : [];
      case 'timeout':
      case 'error':
        return judgesFailures
          ? [{ reason: 'noAnswer', data: { ...data, detail: answer.detail ?? answer.result }, fix: DNS_PODS }]
          : [];
      case 'answered': {
        const got = [...new Set((answer.addresses ?? []).map(canonicalIP))].sort();
        if (got.length === expected.length && got.every((a, i) => a === expected[i])) return [];
        return [
          {
            reason: lookup.headless ? 'wrongEndpoints' : 'wrongAddresses',
            data: {
              ...data,
              got: got.length > 0 ? listSome(got) : 'no address',
              expected: expected.length > 0 ? listSome(expected) : 'none',
            },
            fix: DNS_PODS,
          },
        ];
      }
    }
  },
};
