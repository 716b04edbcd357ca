// Endpoints answer, the Service's own address does not, from the same vantage point: the
// service proxy between them is at fault (docs/kubernetes-semantics.md#what-is-contacted).

import { answerText, kubectl, listSome, targetText } from './helpers.js';
import type { PortConnectCheck } from './types.js';

const FAILS = 'endpoints accept connections from {{vantage}} ({{open}}) but the cluster IP does not: {{failures}}';

export const serviceAddressFails: PortConnectCheck = {
  id: 'service-address-fails',
  severity: 'error',
  title: "Endpoints answer but the Service's cluster IP does not",
  explanation:
    "A Service's cluster IP is no interface anywhere: each node's service proxy (kube-proxy's rules, or a " +
    'replacement) translates connections to it into connections to an endpoint. When the endpoints accept ' +
    'connections from a vantage point and the cluster IP, from the same point, refuses, times out or has no ' +
    "route, the translation is what fails: the node's rules are missing or stale, or the proxy is not running. " +
    'From this machine (--connect-from local) that holds only when it is a node or routes the service range ' +
    'through one; elsewhere the cluster IP is not expected to answer, and the finding is a warning.',
  fix: "Compare the node's rules with the EndpointSlices: kubectl endpoints-doctor probe -n NAMESPACE NAME --nodes-with-endpoints.",
  messages: {
    clusterIPFails: FAILS,
    clusterIPFailsFromOutside:
      FAILS + '; this machine reaches the cluster IP only if it is a node or routes the service range through one',
  },
  severities: { clusterIPFailsFromOutside: 'warning' },
  input: 'connect',
  run(port) {
    const open = port.endpoints.filter((e) => e.answer.result === 'open' && e.ready === true);
    if (open.length === 0) return [];
    const failing = port.serviceAddresses.filter((a) => !['open', 'skipped'].includes(a.answer.result));
    if (failing.length === 0) return [];
    const { name, namespace } = port.service.meta;
    return [
      {
        reason: port.vantage === 'local' ? 'clusterIPFailsFromOutside' : 'clusterIPFails',
        data: {
          vantage: port.vantage,
          open: listSome(open.map(targetText)),
          failures: failing.map((a) => `${targetText(a)} ${answerText(a)}`).join(', '),
        },
        fix: `${kubectl('endpoints-doctor', 'probe', '-n', namespace, name, '--nodes-with-endpoints')}`,
      },
    ];
  },
};
