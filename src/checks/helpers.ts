// Helpers shared by several checks: wording, pod lists with their causes, fix commands.
// Not a check itself; every check is the module named by its id.

import type { ClusterModel } from '../model/cluster.js';
import { isSliceReadFor } from '../model/endpoint-meta.js';
import { isFinished } from '../model/pod-state.js';
import { sliceEntriesForPod, type MatchedPod, type ServiceView } from '../model/service-view.js';
import type { Service } from '../core/objects.js';
import type { NodeProbe } from '../model/node-comparison.js';
import type { FindingPod } from '../core/findings.js';
import { GATEWAY_ROUTE_KINDS, type ServiceReference } from '../model/references.js';
import { whyNoPods, type NoPodsCause } from '../model/workloads.js';
import type { NetworkPolicy, Workload } from '../core/objects.js';
import { isolatingPolicies, type BackendAdmission } from '../model/service-policies.js';
import type { PortConnectivity, TargetAnswer } from '../model/connect-targets.js';
import { endpointKey } from '../model/kube-proxy-endpoints.js';
import { allContainers } from '../model/ports.js';

export const MAX_PODS = 20;

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The form of a word that agrees with a count, for a template's `{{is}}`: agree(2, 'is', 'are') is "are". */
export function agree(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** At most `max` items joined by ", ", with "and N more". */
export function listSome(items: string[], max = 5): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/**
 * Why a matched pod is not a ready endpoint; for a pod the pod state calls ready, what the slices
 * say instead. The first clause (up to " (", ", " or "; ") names what is wrong: summarizeCauses
 * counts pods by it.
 */
export function podCause(view: ServiceView, m: MatchedPod, model: ClusterModel): string {
  if (m.state.cause) return m.state.cause;
  if (!model.coverage.endpointSlices) return 'ready';
  // kube-proxy reads only IPv4 and IPv6 slices of the Service's families.
  const entries = sliceEntriesForPod(view, m.pod).filter((e) => isSliceReadFor(view.service, e.slice));
  if (entries.length === 0)
    return 'Ready but in no EndpointSlice of the Service (controller lag, or stale slices in the input)';
  if (!entries.some((e) => e.endpoint.conditions.ready)) {
    return 'Ready but listed ready=false in the slices (controller lag, or stale slices in the input)';
  }
  return 'ready endpoint';
}

/** A matched pod that is neither finished nor terminating: one whose readiness is still in play. */
export function isLive(m: MatchedPod): boolean {
  return !isFinished(m.pod) && !m.state.terminating;
}

/** Pods in the order a reader should look at them: unready endpoints, pods kept out, terminating, finished. */
export function byRelevance(pods: MatchedPod[]): MatchedPod[] {
  const rank = (m: MatchedPod) => (isFinished(m.pod) ? 3 : m.state.terminating ? 2 : m.state.shouldBeListed ? 0 : 1);
  return [...pods].sort((a, b) => rank(a) - rank(b) || a.pod.meta.name.localeCompare(b.pod.meta.name));
}

/**
 * Words a POSIX shell (and zsh, which expands a leading '=') reads literally: left bare so that
 * common fixes stay readable. Anything else is single-quoted.
 */
const SHELL_SAFE_WORD = /^[A-Za-z0-9_./:@%+,-][A-Za-z0-9_./:=@%+,-]*$/;

/**
 * One shell word that reads back as exactly `value`: cluster text (names, label values) goes into
 * the commands a fix suggests, and pasting one must never run `$(...)`, `;` or a backquote in it.
 */
export function shellQuote(value: string): string {
  return SHELL_SAFE_WORD.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

/** A kubectl command line with every argument one shell word: how every fix spells a command. */
export function kubectl(...args: string[]): string {
  return ['kubectl', ...args.map(shellQuote)].join(' ');
}

/** `kubectl get endpointslices` of one Service, with `extra` arguments (e.g. -o yaml). */
export function getSlices(service: Service, ...extra: string[]): string {
  return kubectl(
    'get',
    'endpointslices',
    '-n',
    service.meta.namespace,
    '-l',
    `kubernetes.io/service-name=${service.meta.name}`,
    ...extra,
  );
}

/** `kubectl get events` about one object, by name (and kind when given). */
export function getEvents(namespace: string, name: string, kind?: string, extraFields = ''): string {
  const selector = `${kind ? `involvedObject.kind=${kind},` : ''}involvedObject.name=${name}${extraFields}`;
  return kubectl('get', 'events', '-n', namespace, '--field-selector', selector);
}

/** The command that names a pod's owner: what to scale or restart. */
export function podOwner(namespace: string, podName: string): string {
  return kubectl(
    'get',
    'pod',
    podName,
    '-n',
    namespace,
    '-o',
    'jsonpath={.metadata.ownerReferences[*].kind}/{.metadata.ownerReferences[*].name}',
  );
}

/** The kubectl command that shows the cause of one pod's state. */
export function podFix(m: MatchedPod, model: ClusterModel): string {
  const { pod } = m;
  const name = pod.meta.name;
  const ns = pod.meta.namespace;
  const node = pod.nodeName ? model.node(pod.nodeName) : undefined;
  if (!isFinished(pod) && !m.state.terminating && node && node.ready !== 'True')
    return kubectl('describe', 'node', node.meta.name);
  const crashing = [...pod.initContainerStatuses, ...pod.containerStatuses].find(
    (s) => !s.ready && s.state === 'waiting' && s.reason === 'CrashLoopBackOff',
  );
  if (crashing && !isFinished(pod)) return kubectl('logs', name, '-n', ns, '-c', crashing.name, '--previous');
  return kubectl('describe', 'pod', name, '-n', ns);
}

/** "2× container app waiting: CrashLoopBackOff; unscheduled": the most frequent causes, up to three. */
export function summarizeCauses(causes: string[]): string {
  const counts = new Map<string, number>();
  for (const cause of causes) {
    let key = cause.split(/ \(|, |; /)[0];
    if (key.length > 80) key = `${key.slice(0, 79)}…`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 3);
  const rest = counts.size - top.length;
  return (
    top.map(([k, n]) => (n > 1 ? `${n}× ${k}` : k)).join('; ') +
    (rest > 0 ? `; ${rest} other cause${rest === 1 ? '' : 's'}` : '')
  );
}

export function listPods(view: ServiceView, pods: MatchedPod[], model: ClusterModel): FindingPod[] {
  return pods.slice(0, MAX_PODS).map((m) => ({ name: m.pod.meta.name, cause: podCause(view, m, model) }));
}

export function shownOf(total: number): string {
  return total > MAX_PODS ? ` (first ${MAX_PODS} listed)` : '';
}

/** Pods the controller lists in the Service's slices: the only ones whose ports are resolved (docs/kubernetes-semantics.md#which-pods-become-endpoints, docs/kubernetes-semantics.md#endpoint-ports-and-slice-grouping). */
export function eligiblePods(view: ServiceView): MatchedPod[] {
  return view.matched.filter((m) => m.state.shouldBeListed);
}

/** Whether some Service port names its targetPort: only those are resolved per pod (docs/kubernetes-semantics.md#how-a-targetport-is-resolved). */
export function hasNamedTargetPort(service: Service): boolean {
  return service.ports.some((sp) => typeof sp.targetPort === 'string');
}

/**
 * A command that creates an EndpointSlice for a selectorless Service, with placeholders in <...>
 * for what the user knows: the manifest is one quoted JSON word (JSON is YAML to kubectl).
 */
export function applySlice(
  service: Service,
  slice: { addressType: string; address: string; portName: string; port: string; protocol: string },
): string {
  const { name, namespace } = service.meta;
  const manifest = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${name}-1`,
      namespace,
      labels: { 'kubernetes.io/service-name': name, 'endpointslice.kubernetes.io/managed-by': '<you>' },
    },
    addressType: slice.addressType,
    endpoints: [{ addresses: [slice.address] }],
    ports: [{ name: slice.portName, port: slice.port, protocol: slice.protocol }],
  };
  return `printf '%s\n' ${shellQuote(JSON.stringify(manifest))} | kubectl apply -f -`;
}

/** `kubectl patch service` with a strategic merge patch, or a JSON patch when `json` is set. */
export function patchService(service: Service, patch: unknown, json = false): string {
  const { name, namespace } = service.meta;
  return kubectl(
    'patch',
    'service',
    name,
    '-n',
    namespace,
    ...(json ? ['--type=json'] : []),
    '-p',
    JSON.stringify(patch),
  );
}

export function patchTargetPort(service: Service, index: number, value: string | number): string {
  return patchService(service, [{ op: 'replace', path: `/spec/ports/${index}/targetPort`, value }], true);
}

/**
 * The end of a probe message whose rules may only lag a change (a reason of its own, graded info):
 * `what` changed {{age}} seconds before the rules were read, within the sync period {{window}}.
 */
export function lagClause(what: string): string {
  return (
    `; ${what} changed {{age}}s before the rules were read, within kube-proxy's sync period ({{window}}s): ` +
    'probably not applied yet, probe again to be sure'
  );
}

/** The data of lagClause. */
export function lagData(probe: NodeProbe, ageSeconds: number): { age: number; window: number } {
  return { age: ageSeconds, window: probe.lagWindowSeconds };
}

/** The fix for rules that lag the API: kube-proxy's sync errors, in its log; the pod named when known. */
export function syncFix(probe: NodeProbe): string {
  const pod = probe.kubeProxyPod;
  const logs = pod
    ? `${kubectl('-n', pod.namespace, 'logs', pod.name)} | grep -iE 'error|fail'`
    : `${kubectl('-n', 'kube-system', 'get', 'pods', '-o', 'wide', '--field-selector', `spec.nodeName=${probe.node}`)}; ` +
      'then kubectl -n kube-system logs POD';
  const restart = pod ? `; restart it if it is stuck: ${kubectl('-n', pod.namespace, 'delete', 'pod', pod.name)}` : '';
  return `look for kube-proxy sync errors on node ${shellQuote(probe.node)}: ${logs}${restart}`;
}

/** `kubectl edit httproute front -n store`: where a route's backendRefs are fixed. */
export function editRoute(reference: ServiceReference): string {
  const { kind, name, namespace } = reference.referrer;
  return kubectl('edit', kind.toLowerCase(), name, '-n', namespace ?? '');
}

/** The route's ResolvedRefs condition when it is False for this reason: the controller's own words. */
export function resolvedRefsSaying(
  reference: ServiceReference,
  reason: string,
  model: ClusterModel,
): string | undefined {
  const { kind, namespace, name } = reference.referrer;
  const routeKind = GATEWAY_ROUTE_KINDS.find((k) => k === kind);
  if (routeKind === undefined || namespace === undefined) return undefined;
  const condition = model.gatewayRoute(routeKind, namespace, name)?.resolvedRefs;
  if (condition?.status !== 'False' || condition.reason !== reason) return undefined;
  return condition.message ? `${reason}: ${condition.message}` : reason;
}

/**
 * When a Service's selector matches no pod: the workloads whose pod template it matches, each
 * with why it has no pods (whyNoPods), as the workload checks report them. Empty when the selector
 * matches a pod or the namespace's workloads were not read.
 */
export function workloadsWithoutPods(
  view: ServiceView,
  model: ClusterModel,
): { workload: Workload; why: NoPodsCause | undefined }[] {
  const workloads = model.workloadsIn(view.service.meta.namespace);
  if (view.matched.length > 0 || !workloads) return [];
  return workloads
    .matching(view.service.selector!)
    .map((workload) => ({ workload, why: whyNoPods(workload, workloads) }));
}

// NetworkPolicy findings (docs/kubernetes-semantics.md#networkpolicy): what every one of them
// says about what it cannot know, and how they name ports and policies.

/** The notes every NetworkPolicy check declares: enforcement is the plugin's, other policy kinds are not evaluated. */
export const POLICY_NOTES = {
  ifEnforced: '; this holds if your network plugin enforces NetworkPolicy',
  otherKinds: '; the cluster also has {{otherKinds}} objects, which are not evaluated and may allow or deny more',
} as const;

/**
 * The POLICY_NOTES a finding carries, and their data: enforcement is said only when the cluster
 * shows no plugin known to enforce NetworkPolicy, other policy kinds only when some hold objects.
 */
export function policyCaveats(model: ClusterModel): { notes: string[]; data: { otherKinds?: string } } {
  const notes: string[] = [];
  if (!model.enforcingPlugin) notes.push('ifEnforced');
  if (model.otherPolicyKinds.length === 0) return { notes, data: {} };
  notes.push('otherKinds');
  return { notes, data: { otherKinds: listSome([...model.otherPolicyKinds].sort()) } };
}

/** "NetworkPolicy deny-all" or "NetworkPolicies a, b": the policies a finding names, each once, by name. */
export function namePolicies(policies: Iterable<NetworkPolicy>): string {
  const names = [...new Set([...policies].map((p) => p.meta.name))].sort();
  return `${names.length === 1 ? 'NetworkPolicy' : 'NetworkPolicies'} ${listSome(names)}`;
}

/** "8080/TCP", or "8080/TCP, 9090/TCP" when the targetPort resolves to several numbers: the ports the pods are reached on. */
export function podPorts(ports: Iterable<number>, protocol: string): string {
  return [...new Set(ports)]
    .sort((a, b) => a - b)
    .map((p) => `${p}/${protocol}`)
    .join(', ');
}

/** The pods a finding about shut backends lists, each with the policies that isolate it and its port. */
export function shutPods(backends: readonly BackendAdmission[], protocol: string): FindingPod[] {
  return backends.slice(0, MAX_PODS).map((b) => ({
    name: b.pod.meta.name,
    cause: `isolated for ingress by ${namePolicies(isolatingPolicies([b]))}; no rule admits ${b.port}/${protocol}`,
  }));
}

/** "10.244.1.5:8080", "[fd00::5]:8080": a target as the connect checks name it. */
export function targetText(t: TargetAnswer): string {
  return endpointKey(t.address, t.port);
}

/** What a connect answer was, in words: "refused", "timed out after 2000 ms"... */
export function answerText(t: TargetAnswer): string {
  const { result, detail } = t.answer;
  const words: Record<string, string> = {
    open: 'accepted',
    refused: 'refused',
    timeout: 'timed out',
    reset: 'was reset',
    unreachable: 'unreachable',
    skipped: 'not tried',
    error: 'failed',
  };
  return `${words[result] ?? result}${detail && result !== 'open' ? ` (${detail})` : ''}`;
}

/** The ports a pod's containers declare, "3000/TCP (http), 9090/TCP", or "no port". */
function declaredPorts(namespace: string, podName: string, model: ClusterModel): string | undefined {
  const pod = model.pod(namespace, podName);
  if (!pod) return undefined;
  const ports = allContainers(pod).flatMap((c) =>
    c.ports.map((p) => `${p.containerPort}/${p.protocol}${p.name ? ` (${p.name})` : ''}`),
  );
  return ports.length > 0 ? ports.join(', ') : 'no port';
}

/** A socket's port and whether it is bound to loopback only, from "127.0.0.1:3000" or "[::1]:80". */
function socketOf(text: string): { port: string; loopback: boolean } {
  const at = text.lastIndexOf(':');
  const address = text.slice(0, at).replace(/^\[|\]$/g, '');
  return { port: text.slice(at + 1), loopback: address.startsWith('127.') || address === '::1' };
}

/**
 * What a target's pod listens on, when the vantage point was that pod and could read it: first
 * the sockets on the refused port (bound to another address), then those bound to loopback only,
 * the usual reasons for a refusal, so that a long list does not hide them.
 */
function listeningText(t: TargetAnswer): string {
  const { listening } = t.answer;
  if (listening === undefined) return '';
  const rank = (text: string) => {
    const socket = socketOf(text);
    return socket.port === String(t.port) ? 0 : socket.loopback ? 1 : 2;
  };
  const ordered = listening.map((text) => ({ text, rank: rank(text) })).sort((a, b) => a.rank - b.rank);
  return `; it listens on ${ordered.length > 0 ? listSome(ordered.map((s) => s.text)) : 'no TCP port'}`;
}

/**
 * The pods behind these targets (their Pod targetRefs), each with what the target answered, what
 * it listens on (when read from inside it) and the ports it declares.
 */
export function connectPods(port: PortConnectivity, targets: TargetAnswer[], model: ClusterModel): FindingPod[] {
  const namespace = port.service.meta.namespace;
  return targets.slice(0, MAX_PODS).flatMap((t) => {
    if (t.targetRef?.kind !== 'Pod') return [];
    const podNamespace = t.targetRef.namespace ?? namespace;
    const declared = declaredPorts(podNamespace, t.targetRef.name, model);
    return [
      {
        name: t.targetRef.name,
        ...(podNamespace !== namespace ? { namespace: podNamespace } : {}),
        cause: `${targetText(t)} ${answerText(t)}${listeningText(t)}${declared ? `; its containers declare ${declared}` : ''}`,
      },
    ];
  });
}

/** The endpoints a connect check judges by readiness: tried (not skipped), of that readiness. */
export function triedEndpoints(port: PortConnectivity, ready: boolean): TargetAnswer[] {
  return port.endpoints.filter((e) => e.ready === ready && e.answer.result !== 'skipped');
}
