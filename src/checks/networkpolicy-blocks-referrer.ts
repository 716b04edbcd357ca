// An Ingress or a Gateway API route whose traffic NetworkPolicies drop: the pods that carry it
// (the Ingress controller's, the Gateway's, as cluster facts show them, labels and published
// addresses: model/referrer-pods.ts) are admitted to no ready backend of the Service port it
// names, by the backends' ingress or their own egress (docs/kubernetes-semantics.md#networkpolicy,
// docs/kubernetes-semantics.md#policies-see-pod-addresses-after-the-services-dnat).

import type { NetworkPolicy, Service, ServicePort } from '../core/objects.js';
import { formatLabels, NAMESPACE_NAME_LABEL } from '../core/selectors.js';
import { describeServicePort } from '../model/ports.js';
import { describeReference, GATEWAY_ROUTE_KINDS, referencedPort } from '../model/references.js';
import { referrerPods, type ReferrerPods } from '../model/referrer-pods.js';
import { policyEvaluator, servicePolicies } from '../model/service-policies.js';
import { viewService, type ServiceView } from '../model/service-view.js';
import type { ClusterModel } from '../model/cluster.js';
import { kubectl, listSome, MAX_PODS, plural, podPorts, POLICY_NOTES, policyCaveats, shellQuote } from './helpers.js';
import type { Check } from './types.js';

/** Why no sender reaches a backend: the policies isolating the backends (ingress) and the senders (egress) without admitting the other end. */
interface Blocked {
  ingress: Set<NetworkPolicy>;
  egress: Set<NetworkPolicy>;
  /** The ports the backends are reached on. */
  ports: number[];
}

/** Each target Service's view, made once: several references name one Service. */
const views = new WeakMap<Service, ServiceView>();
/** Each sender set's verdict on a Service port, made once: an Ingress's paths often name one port. */
const verdicts = new WeakMap<ReferrerPods, Map<ServicePort, Blocked | undefined>>();

function viewOnce(model: ClusterModel, service: Service): ServiceView {
  let view = views.get(service);
  if (!view) {
    view = viewService(model, service);
    views.set(service, view);
  }
  return view;
}

/**
 * Blocked when every sender is refused by every ready backend of the port; undefined when one
 * connection is allowed or undecided (policies or namespace labels not read, a hostNetwork
 * sender, whose traffic selectors may not see as its own), or there is no ready backend.
 */
function judge(senders: ReferrerPods, service: Service, port: ServicePort, model: ClusterModel): Blocked | undefined {
  let byPort = verdicts.get(senders);
  if (!byPort) {
    byPort = new Map();
    verdicts.set(senders, byPort);
  }
  if (byPort.has(port)) return byPort.get(port);
  const backends = servicePolicies(viewOnce(model, service), model).ports.find((p) => p.servicePort === port)?.backends;
  let blocked: Blocked | undefined;
  if (backends && backends.length > 0 && !senders.pods.some((p) => p.hostNetwork)) {
    const evaluator = policyEvaluator(model);
    blocked = { ingress: new Set(), egress: new Set(), ports: backends.map((b) => b.port) };
    search: for (const sender of senders.pods) {
      for (const backend of backends) {
        const verdict = evaluator.connection(sender, backend.pod, backend.port, port.protocol);
        if (verdict.allowed !== 'no') {
          blocked = undefined;
          break search;
        }
        const { ingress, egress } = verdict;
        if (ingress.allowed === 'no' && ingress.admission.state === 'isolated') {
          for (const p of ingress.admission.policies) blocked.ingress.add(p);
        }
        if (egress?.allowed === 'no' && egress.admission.state === 'isolated') {
          for (const p of egress.admission.policies) blocked.egress.add(p);
        }
      }
    }
  }
  byPort.set(port, blocked);
  return blocked;
}

/** "NetworkPolicy deny-all of namespace shop", "NetworkPolicies a, b of namespace shop and c of namespace edge". */
function namePoliciesByNamespace(policies: Iterable<NetworkPolicy>): string {
  const byNamespace = new Map<string, Set<string>>();
  for (const p of policies) {
    const names = byNamespace.get(p.meta.namespace) ?? new Set();
    names.add(p.meta.name);
    byNamespace.set(p.meta.namespace, names);
  }
  const count = [...byNamespace.values()].reduce((n, names) => n + names.size, 0);
  const parts = [...byNamespace]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([namespace, names]) => `${listSome([...names].sort())} of namespace ${namespace}`);
  return `${count === 1 ? 'NetworkPolicy' : 'NetworkPolicies'} ${parts.join(' and ')}`;
}

/**
 * The `from` peer that admits the senders to the backends' namespace: their namespace by name
 * (unless it is the backends') with the controller Service's selector, which picks exactly them.
 */
function suggestedPeer(senders: ReferrerPods, backendNamespace: string): string | undefined {
  const service = senders.services.find((s) => s.selector !== null);
  if (!service?.selector) return undefined;
  // Quoted as shell words: the fix is pasted, and the names and labels are cluster text.
  const pods = `podSelector ${shellQuote(formatLabels(service.selector))}`;
  const { namespace } = service.meta;
  return namespace === backendNamespace
    ? pods
    : `namespaceSelector ${shellQuote(`${NAMESPACE_NAME_LABEL}=${namespace}`)} with ${pods}`;
}

export const networkpolicyBlocksReferrer: Check = {
  id: 'networkpolicy-blocks-referrer',
  severity: 'error',
  title: "NetworkPolicies drop an Ingress's or a route's traffic to its Service",
  explanation:
    "An Ingress controller or a Gateway's data plane is a set of pods: they connect to the Service's ready backends " +
    "themselves, on the backends' addresses and resolved targetPort, so NetworkPolicies judge those connections as " +
    'any other between pods: the backends must admit the controller pods (ingress), and the controller pods must be ' +
    'allowed to reach the backends (egress). The controller pods are found from the cluster only: for an Ingress, ' +
    'the Service whose address the controller published in the Ingress status; for a route, the Services its ' +
    "Gateway's implementation labelled gateway.networking.k8s.io/gateway-name, else the Service answering on an " +
    "address the implementation published in the Gateway's status. When neither shows them, the route is not " +
    'judged. When not one of the controller pods can reach any ready backend of the port, every request the ' +
    'Ingress or route sends there fails. Webhooks and APIServices are called by kube-apiserver, which is not a ' +
    'pod, and are not judged here.',
  fix:
    "Admit the controller's pods in an ingress rule of a policy selecting the backends: a from peer with a " +
    "namespaceSelector on kubernetes.io/metadata.name (the controller's namespace) and a podSelector matching the " +
    "controller pods, on the targetPort. If the controller's own egress is isolated, allow it to the backends too.",
  messages: {
    ingress:
      '{{reference}} is served by {{senders}} behind {{via}}, and the ready backends of {{port}} are isolated for ' +
      'ingress by {{ingress}} with no rule admitting any of those pods on {{target}}: its requests to the Service fail',
    egress:
      '{{reference}} is served by {{senders}} behind {{via}}, and those pods are isolated for egress by {{egress}} ' +
      'with no rule admitting any ready backend of {{port}} on {{target}}: its requests to the Service fail',
    both:
      '{{reference}} is served by {{senders}} behind {{via}}, and no connection from them to a ready backend of ' +
      '{{port}} on {{target}} is allowed: the backends are isolated for ingress by {{ingress}} and those pods for ' +
      'egress by {{egress}}, with no rule admitting the other side; its requests to the Service fail',
  },
  notes: POLICY_NOTES,
  appliesToServices: { backends: [] },
  requires: ['networkPolicies'],
  references: {
    kinds: ['Ingress', ...GATEWAY_ROUTE_KINDS],
    run(reference, service, model) {
      if (!service) return [];
      const port = referencedPort(reference, service.ports);
      if (!port) return [];
      const senders = referrerPods(reference, model);
      if (!senders) return [];
      const blocked = judge(senders, service, port, model);
      if (!blocked) return [];
      const caveats = policyCaveats(model);
      const names = senders.pods.map((p) => p.meta.name);
      const { namespace } = service.meta;
      const peer = blocked.ingress.size > 0 ? suggestedPeer(senders, namespace) : undefined;
      const describe = (policies: Set<NetworkPolicy>) =>
        [...new Set([...policies].map((p) => p.meta.namespace))].sort().map((ns) =>
          kubectl(
            'describe',
            'networkpolicy',
            '-n',
            ns,
            ...[...policies]
              .filter((p) => p.meta.namespace === ns)
              .map((p) => p.meta.name)
              .sort(),
          ),
        );
      const portText = describeServicePort(port);
      return [
        {
          reason: blocked.ingress.size === 0 ? 'egress' : blocked.egress.size === 0 ? 'ingress' : 'both',
          data: {
            reference: describeReference(reference),
            senders: `${plural(names.length, 'pod')} (${listSome(names, 3)})`,
            via: listSome(senders.services.map((s) => `Service ${s.meta.namespace}/${s.meta.name}`)),
            port: portText,
            target: podPorts(blocked.ports, port.protocol),
            ingress: namePoliciesByNamespace(blocked.ingress),
            egress: namePoliciesByNamespace(blocked.egress),
            ...caveats.data,
          },
          notes: caveats.notes,
          port: portText,
          pods: senders.pods.slice(0, MAX_PODS).map((p) => ({
            name: p.meta.name,
            ...(p.meta.namespace !== namespace ? { namespace: p.meta.namespace } : {}),
            cause: `carries the requests of ${describeReference(reference)}; admitted to no ready backend of ${portText}`,
          })),
          fix: [
            ...(peer ? [`admit the controller pods with a from peer: ${peer}`] : []),
            ...describe(blocked.ingress),
            ...describe(blocked.egress),
          ].join('; '),
        },
      ];
    },
  },
};
