import { describeProbe, describeUnresolved, unresolvedProbePort, type UnresolvedProbePort } from '../model/probes.js';
import { closestMatch } from '../model/similar.js';
import type { MatchedPod } from '../model/service-view.js';
import type { Container, ContainerStatus, Pod } from '../core/objects.js';
import { formatLabels } from '../core/selectors.js';
import { agree, isLive, MAX_PODS, plural, podOwner, shellQuote } from './helpers.js';
import type { Check } from './types.js';

/** A container of a pod whose readiness probe port does not resolve, and which the input does not show ready. */
interface Unresolved {
  m: MatchedPod;
  container: Container;
  port: UnresolvedProbePort;
}

/** "http/TCP, metrics/TCP" or "8080/TCP" for an unnamed port: what one container declares. */
function declared(container: Container): string {
  return container.ports.map((p) => `${p.name ?? p.containerPort}/${p.protocol}`).join(', ');
}

function declaredText(container: Container): string {
  return container.ports.length > 0 ? `it declares ${declared(container)}` : 'it declares no port';
}

function statusOf(pod: Pod, container: Container): ContainerStatus | undefined {
  const statuses = pod.sidecars.includes(container) ? pod.initContainerStatuses : pod.containerStatuses;
  return statuses.find((s) => s.name === container.name);
}

/**
 * The containers of the pod, native sidecars included, whose readiness probe can never pass. A
 * container the kubelet reports ready is left out: the input then contradicts the spec, and a
 * finding must not claim what the pod does not show.
 */
function unresolvedOn(m: MatchedPod): Unresolved[] {
  const out: Unresolved[] = [];
  for (const container of [...m.pod.containers, ...m.pod.sidecars]) {
    const port = unresolvedProbePort(container);
    if (port && statusOf(m.pod, container)?.ready !== true) out.push({ m, container, port });
  }
  return out;
}

/** The pod's other containers that declare a port of this name: a probe looks only at its own container's. */
function othersDeclaring(pod: Pod, container: Container, name: string): string[] {
  return [...pod.containers, ...pod.sidecars]
    .filter((c) => c !== container && c.ports.some((p) => p.name === name))
    .map((c) => c.name);
}

const PROBE = 'the readiness probe of container {{container}} ({{probe}}) {{problem}}';
const NEVER = 'the kubelet fails it on every attempt';

export const readinessProbePortUnresolved: Check = {
  id: 'readiness-probe-port-unresolved',
  severity: 'error',
  title: 'A readiness probe names a port its container does not declare',
  explanation:
    "The kubelet resolves the port of an httpGet or tcpSocket readiness probe among the probed container's own ports, " +
    'by name whatever the protocol: a port of another container of the pod does not count. A name the container ' +
    'does not declare (and that is not a number either) is an error on every attempt, so the container never becomes ' +
    'ready and the pod never becomes a ready endpoint. grpc probes take a number only. Native sidecars are probed ' +
    'like containers. An error when no live pod of the Service can become ready, a warning while others can, and only ' +
    'info when the Service publishes not-ready addresses, whose endpoints are ready whatever the pods. Finished and ' +
    'terminating pods are left out, and so is a container the kubelet reports ready.',
  fix:
    "Set the probe's port to the name of a port the same container declares (spec.containers[].ports[].name), or to " +
    "the number the application answers on, in the workload's pod template.",
  messages: {
    noPodCanBecomeReady: `${PROBE}: ${NEVER}, so none of the {{pods}} matching {{selector}} can become ready`,
    somePodsCannotBecomeReady: `on {{failing}} of {{pods}} matching {{selector}}, ${PROBE}: ${NEVER}, so {{they}} can never become ready; the others can`,
    notReadyPublished:
      `on {{failing}} of {{pods}} matching {{selector}}, ${PROBE}: ${NEVER}, so {{they}} never {{become}} Ready; ` +
      'the Service publishes not-ready addresses, so {{their}} traffic anyway',
  },
  notes: {
    declares: '; the container declares {{declared}}',
    declaresNone: '; the container declares no port',
    otherContainer: '; container {{other}} declares "{{port}}", but a probe looks only at its own container\'s ports',
    moreProbes: '; {{more}} other probe{{moreS}} on the listed pods cannot pass either',
    firstListed: ' (first {{max}} listed)',
  },
  severities: { somePodsCannotBecomeReady: 'warning', notReadyPublished: 'info' },
  appliesToServices: { backends: ['selector'] },
  requires: ['pods'],
  run(view) {
    const { service } = view;
    const live = view.matched.filter(isLive);
    const affected = live.map(unresolvedOn).filter((u) => u.length > 0);
    if (affected.length === 0) return [];

    // The message names the first failing probe; the pods list every one.
    const first = affected[0][0];
    const { port, undeclared } = first.port;
    const distinct = new Set(affected.flat().map((u) => `${u.container.name} ${u.port.port}`));
    const data: Record<string, string | number> = {
      container: first.container.name,
      probe: describeProbe(first.container.readinessProbe!)!,
      problem: undeclared
        ? `names port "${port}", which the container does not declare`
        : `names port ${port}, not a valid port number`,
      pods: plural(live.length, 'pod'),
      selector: formatLabels(service.selector!),
      failing: affected.length,
      they: affected.length === 1 ? 'it' : 'they',
      become: agree(affected.length, 'becomes', 'become'),
      their: affected.length === 1 ? 'its endpoint gets' : 'their endpoints get',
      port,
      max: MAX_PODS,
      declared: declared(first.container),
    };
    const notes: string[] = [first.container.ports.length > 0 ? 'declares' : 'declaresNone'];
    const others = undeclared ? othersDeclaring(first.m.pod, first.container, String(port)) : [];
    if (others.length > 0) {
      notes.push('otherContainer');
      data.other = others.join(', ');
    }
    if (distinct.size > 1) {
      notes.push('moreProbes');
      data.more = distinct.size - 1;
      data.moreS = distinct.size === 2 ? '' : 's';
    }
    if (affected.length > MAX_PODS) notes.push('firstListed');

    const reason = service.publishNotReadyAddresses
      ? 'notReadyPublished'
      : affected.length === live.length
        ? 'noPodCanBecomeReady'
        : 'somePodsCannotBecomeReady';
    const names = first.container.ports.flatMap((p) => (p.name ? [p.name] : []));
    const meant = undeclared ? closestMatch(String(port), names) : undefined;
    const owner = podOwner(service.meta.namespace, first.m.pod.meta.name);
    return [
      {
        reason,
        data,
        notes,
        pods: affected.slice(0, MAX_PODS).map((u) => ({
          name: u[0].m.pod.meta.name,
          cause: u
            .map(
              (x) =>
                `readiness probe ${describeProbe(x.container.readinessProbe!)}: ${describeUnresolved(x.container, x.port)}${x.port.undeclared ? ` (${declaredText(x.container)})` : ''}`,
            )
            .join('; '),
        })),
        // Cluster names go into the fix shell-quoted: the owner command is meant to be pasted.
        fix:
          `${meant ? `point the probe at port ${shellQuote(meant)}, which the container declares` : 'give the probe a port its container declares, or a number'}, ` +
          `in the readinessProbe of container ${shellQuote(first.container.name)} in the pod template of their owner: ${owner}`,
      },
    ];
  },
};
