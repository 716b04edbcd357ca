// Endpoints answer, the Service's own address does not, from the same vantage point: the
// service proxy between them is at fault (docs/kubernetes-semantics.md#what-is-contacted). The
// Service's own addresses: its cluster IPs, and from a node its NodePorts on that node
// (docs/kubernetes-semantics.md#nodeport-services).

import type { ClusterModel } from '../model/cluster.js';
import type { TargetAnswer } from '../model/connect-targets.js';
import { answerText, kubectl, listSome, targetText } from './helpers.js';
import type { FindingDraft, PortConnectCheck } from './types.js';

const FAILS = 'endpoints accept connections from {{vantage}} ({{open}}) but the cluster IP does not: {{failures}}';

/** The node a vantage point connects from, when known: a node's name, or the node of a pod of the input. */
function vantageNode(vantage: string, model: ClusterModel): string | undefined {
  const [kind, ...rest] = vantage.split('/');
  if (kind === 'node') return rest.join('/');
  if (kind === 'pod' && rest.length === 2) return model.pod(rest[0], rest[1])?.nodeName;
  return undefined;
}

const failed = (a: TargetAnswer) => !['open', 'skipped'].includes(a.answer.result);
const failures = (addresses: TargetAnswer[]) => addresses.map((a) => `${targetText(a)} ${answerText(a)}`).join(', ');

export const serviceAddressFails: PortConnectCheck = {
  id: 'service-address-fails',
  severity: 'error',
  title: "Endpoints answer but the Service's cluster IP or NodePort does not",
  explanation:
    "A Service's cluster IP is no interface anywhere: each node's service proxy (kube-proxy's rules, or a " +
    'replacement) translates connections to it into connections to an endpoint. When the endpoints accept ' +
    'connections from a vantage point and the cluster IP, from the same point, refuses, times out or has no ' +
    "route, the translation is what fails: the node's rules are missing or stale, or the proxy is not running. " +
    'From this machine (--connect-from local) that holds only when it is a node or routes the service range ' +
    'through one; elsewhere the cluster IP is not expected to answer, and the finding is a warning. From a node ' +
    "(--connect-from node/NAME) a NodePort or LoadBalancer Service's node ports are tried at the node's own " +
    'addresses too, and judged the same way; with externalTrafficPolicy Local, only when an endpoint on that ' +
    'node answers, since a node port may drop what the node has no endpoint for. Likewise with ' +
    "internalTrafficPolicy Local the cluster IP leads only to the endpoints on the client's own node: it is " +
    "judged only when an endpoint on the vantage point's node answers (the node of the pod or node connected " +
    'from). When that node is not known (from this machine, or from a pod the input does not hold), an info finding ' +
    '(clusterIPNotJudged) says the failure was not judged, rather than nothing.',
  fix: "Compare the node's rules with the EndpointSlices: kubectl endpoints-doctor probe -n NAMESPACE NAME --nodes-with-endpoints (a NodePort: --node NODE).",
  messages: {
    clusterIPFails: FAILS,
    clusterIPFailsFromOutside:
      FAILS + '; this machine reaches the cluster IP only if it is a node or routes the service range through one',
    clusterIPNotJudged:
      'endpoints accept connections from {{vantage}} ({{open}}) and the cluster IP does not ({{failures}}), but ' +
      "with internalTrafficPolicy Local it leads only to the endpoints on the client's own node, and the node of " +
      '{{vantage}} is not known: not judged',
    nodePortFails:
      'endpoints accept connections from {{vantage}} ({{open}}) but the NodePort on node {{node}} does not: {{failures}}',
  },
  severities: { clusterIPFailsFromOutside: 'warning', clusterIPNotJudged: 'info' },
  input: 'connect',
  run(port, model) {
    const open = port.endpoints.filter((e) => e.answer.result === 'open' && e.ready === true);
    if (open.length === 0) return [];
    const { name, namespace } = port.service.meta;
    const drafts: FindingDraft[] = [];
    const clusterIPs = port.serviceAddresses.filter((a) => a.kind === 'cluster-ip' && failed(a));
    // A Local policy leads the Service's address to the endpoints on that one node only (an
    // unknown node: none of them is known to be behind it; for the cluster IP, clusterIPNotJudged says so).
    const behind = (policy: 'Cluster' | 'Local', node: string | undefined) =>
      policy === 'Local' ? open.filter((e) => node !== undefined && e.nodeName === node) : open;
    const clientNode = vantageNode(port.vantage, model);
    const behindClusterIP = behind(port.service.internalTrafficPolicy, clientNode);
    if (clusterIPs.length > 0 && port.service.internalTrafficPolicy === 'Local' && clientNode === undefined) {
      // Which endpoints the cluster IP leads to depends on a node this run does not know: say so.
      const endpointNode = open.find((e) => e.nodeName !== undefined)?.nodeName ?? 'NODE';
      drafts.push({
        reason: 'clusterIPNotJudged',
        data: { vantage: port.vantage, open: listSome(open.map(targetText)), failures: failures(clusterIPs) },
        fix: kubectl('endpoints-doctor', '-n', namespace, name, '--connect', '--connect-from', `node/${endpointNode}`),
      });
    } else if (clusterIPs.length > 0 && behindClusterIP.length > 0) {
      drafts.push({
        reason: port.vantage === 'local' ? 'clusterIPFailsFromOutside' : 'clusterIPFails',
        data: {
          vantage: port.vantage,
          open: listSome(behindClusterIP.map(targetText)),
          failures: failures(clusterIPs),
        },
        fix: kubectl('endpoints-doctor', 'probe', '-n', namespace, name, '--nodes-with-endpoints'),
      });
    }
    const nodePorts = port.serviceAddresses.filter((a) => a.kind === 'node-port' && failed(a));
    const node = nodePorts[0]?.nodeName;
    const behindNodePort = behind(port.service.externalTrafficPolicy, node);
    if (node !== undefined && behindNodePort.length > 0) {
      drafts.push({
        reason: 'nodePortFails',
        data: {
          vantage: port.vantage,
          open: listSome(behindNodePort.map(targetText)),
          node,
          failures: failures(nodePorts),
        },
        fix: kubectl('endpoints-doctor', 'probe', '-n', namespace, name, '--node', node),
      });
    }
    return drafts;
  },
};
