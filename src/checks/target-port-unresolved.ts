import { SLICE_CONTROLLER } from '../model/endpoint-meta.js';
import { allContainers, describeServicePort, resolvePort, type ResolvedPort } from '../model/ports.js';
import { sliceEntriesForPod, type MatchedPod, type ServiceView } from '../model/service-view.js';
import { isHeadless } from '../model/services.js';
import { editDistance, plausiblyMeant } from '../model/similar.js';
import type { Pod, ServicePort } from '../core/objects.js';
import { eligiblePods, hasNamedTargetPort, kubectl, MAX_PODS, patchTargetPort, plural, shellQuote } from './helpers.js';
import type { Check, FindingDraft } from './types.js';
import type { FindingPod } from '../core/findings.js';

/** "http/TCP, metrics/TCP" or "8080/TCP" for unnamed ports: what a pod declares. */
function declared(pod: Pod): string[] {
  return allContainers(pod).flatMap((c) =>
    c.ports.map((p) => (p.name ? `${p.name}/${p.protocol}` : `${p.containerPort}/${p.protocol}`)),
  );
}

/** The declared port name nearest to `target`, preferring the Service port's protocol. */
function closestName(
  target: string,
  ports: { name: string; protocol: string }[],
  protocol: string,
): string | undefined {
  const sameProtocol = ports.filter((p) => p.protocol === protocol);
  const pool = [...new Set((sameProtocol.length > 0 ? sameProtocol : ports).map((p) => p.name))];
  return pool.sort((a, b) => editDistance(target, a) - editDistance(target, b) || a.localeCompare(b))[0];
}

/**
 * Whether the controller's slices list this Service port for the pod: true or false, or
 * undefined when no controller-managed slice lists the pod (nothing to learn from).
 */
function slicesResolve(view: ServiceView, pod: Pod, servicePort: ServicePort): boolean | undefined {
  const entries = sliceEntriesForPod(view, pod).filter((e) => e.slice.managedBy === SLICE_CONTROLLER);
  if (entries.length === 0) return undefined;
  return entries.some((e) =>
    e.slice.ports.some(
      (p) => p.name === servicePort.name && p.protocol === servicePort.protocol && p.port !== undefined,
    ),
  );
}

const UNRESOLVED = 'targetPort "{{target}}" of {{port}} matches no container port (by name and protocol) on';
const SIDECAR =
  'on {{sidecarPods}} "{{target}}" is only on native sidecar {{sidecar}} (initContainers with restartPolicy: Always)';
const OLDER_CONTROLLERS = 'which EndpointSlice controllers before v1.33 did not search';

export const targetPortUnresolved: Check = {
  id: 'target-port-unresolved',
  severity: 'error',
  title: 'A named targetPort matches no container port on the pods',
  explanation:
    'The controller resolves a named targetPort per pod, by name AND protocol, in the regular containers and then the ' +
    'native sidecars (initContainers with restartPolicy: Always); the first match wins. When a pod has no such ' +
    "port, that Service port is silently left out of the pod's endpoint: the pod is listed but gets no traffic " +
    'on it. EndpointSlice controllers before v1.33 did not search native sidecars. For a headless Service ' +
    'kube-proxy does nothing and targetPort is ignored, so there it is only informational.',
  fix: 'Make spec.ports[].targetPort equal the container port name, with the same protocol, or use the port number.',
  messages: {
    noPodResolves: `${UNRESOLVED} {{eligible}}: the port reaches nothing`,
    somePodsUnresolved: `${UNRESOLVED} {{failing}} of {{eligible}}: their endpoints lack the port and get no traffic on it`,
    unresolvedOnHeadless:
      `${UNRESOLVED} {{pods}}; the Service is headless: kube-proxy ignores it and targetPort is ignored for ` +
      "clusterIP None, only the slices' port list lacks it",
    onlyOnSidecar:
      `targetPort "{{target}}" of {{port}} resolves only on a native sidecar: ${SIDECAR}, ${OLDER_CONTROLLERS}; ` +
      'on such clusters this port reaches nothing, a numeric targetPort works everywhere',
  },
  notes: {
    otherProtocol:
      '; a port named "{{target}}" exists but with protocol {{otherProtocol}}, not {{protocol}} (name and protocol must both match)',
    declaredNames: '; the pods declare {{names}}',
    closestName: '; closest: "{{closest}}"',
    noNamedPort: '; the pods declare no named port',
    sidecarNotSearched:
      '; on {{missedPods}} "{{target}}" is only on native sidecar {{missedSidecar}} (initContainers with restartPolicy: ' +
      "Always) and the slices lack the port: this cluster's EndpointSlice controller predates v1.33 and does not search " +
      'native sidecars',
    sidecarMaybeNotSearched: `; ${SIDECAR}, ${OLDER_CONTROLLERS}`,
    firstListed: ' (first {{max}} listed)',
  },
  severities: { somePodsUnresolved: 'warning', unresolvedOnHeadless: 'info', onlyOnSidecar: 'info' },
  appliesToServices: { backends: ['selector'] },
  requires: ['pods'],
  appliesTo: (view) => hasNamedTargetPort(view.service),
  run(view) {
    const { service } = view;
    if (!hasNamedTargetPort(service)) return [];
    const eligible = eligiblePods(view);
    if (eligible.length === 0) return [];
    const headless = isHeadless(service);
    const findings: FindingDraft[] = [];

    service.ports.forEach((sp, index) => {
      const target = sp.targetPort;
      if (typeof target !== 'string') return;
      const portText = describeServicePort(sp);
      const unresolved: MatchedPod[] = [];
      /** Resolved only on a native sidecar, and the slices show the controller did not (a cluster before v1.33). */
      const sidecarMissed: { m: MatchedPod; r: ResolvedPort }[] = [];
      /** Resolved only on a native sidecar, and nothing shows whether this cluster's controller searches them. */
      const sidecarUnknown: { m: MatchedPod; r: ResolvedPort }[] = [];
      let resolved = 0;
      for (const m of eligible) {
        const r = resolvePort(m.pod, sp);
        if (!r) unresolved.push(m);
        else if (!r.sidecar) resolved++;
        else {
          const evidence = slicesResolve(view, m.pod, sp);
          if (evidence === false) sidecarMissed.push({ m, r });
          else if (evidence === undefined) sidecarUnknown.push({ m, r });
          else resolved++;
        }
      }
      const failing = unresolved.length + sidecarMissed.length;
      if (failing === 0 && sidecarUnknown.length === 0) return;

      const sidecarNumbers = [...new Set([...sidecarMissed, ...sidecarUnknown].map((s) => s.r.port))];
      const data: Record<string, string | number> = { target, port: portText, protocol: sp.protocol, max: MAX_PODS };
      if (sidecarUnknown.length > 0) {
        data.sidecarPods = plural(sidecarUnknown.length, 'pod');
        data.sidecar = sidecarUnknown[0].r.container ?? '';
      }

      if (failing === 0) {
        // Works on v1.33 and later; on older clusters the port reaches nothing. Informational only.
        findings.push({
          reason: 'onlyOnSidecar',
          data,
          port: portText,
          pods: sidecarUnknown.slice(0, MAX_PODS).map(({ m, r }) => ({
            name: m.pod.meta.name,
            cause: `"${target}" → ${r.port} on native sidecar ${r.container}`,
          })),
          ...(sidecarNumbers.length === 1 ? { fix: patchTargetPort(service, index, sidecarNumbers[0]) } : {}),
        });
        return;
      }

      const failingPods = [...unresolved.map((m) => m.pod), ...sidecarMissed.map((s) => s.m.pod)];
      const namedPorts = failingPods.flatMap((p) =>
        allContainers(p).flatMap((c) =>
          c.ports.filter((x) => x.name).map((x) => ({ name: x.name!, protocol: x.protocol })),
        ),
      );
      const otherProtocol = namedPorts.find((p) => p.name === target && p.protocol !== sp.protocol);
      const names = [...new Set(namedPorts.map((p) => `${p.name}/${p.protocol}`))].sort();
      const closest = otherProtocol ? undefined : closestName(target, namedPorts, sp.protocol);
      const none = resolved + sidecarUnknown.length === 0;

      const eligibleText =
        eligible.length === 1 ? 'the one eligible pod' : `any of the ${eligible.length} eligible pods`;
      const someText = `${failing} of ${plural(eligible.length, 'eligible pod')}`;
      const reason = headless ? 'unresolvedOnHeadless' : none ? 'noPodResolves' : 'somePodsUnresolved';
      Object.assign(data, {
        eligible: none ? eligibleText : plural(eligible.length, 'eligible pod'),
        failing,
        pods: none ? eligibleText : someText,
      });
      const notes: string[] = [];
      if (unresolved.length > 0) {
        if (otherProtocol) {
          notes.push('otherProtocol');
          data.otherProtocol = otherProtocol.protocol;
        } else if (names.length > 0) {
          notes.push('declaredNames', ...(closest ? ['closestName'] : []));
          data.names = names.join(', ');
          if (closest) data.closest = closest;
        } else {
          notes.push('noNamedPort');
        }
      }
      if (sidecarMissed.length > 0) {
        notes.push('sidecarNotSearched');
        data.missedPods = plural(sidecarMissed.length, 'pod');
        data.missedSidecar = sidecarMissed[0].r.container ?? '';
      }
      if (sidecarUnknown.length > 0) notes.push('sidecarMaybeNotSearched');
      if (failing > MAX_PODS) notes.push('firstListed');

      const pods: FindingPod[] = [
        ...unresolved.slice(0, MAX_PODS).map((m) => {
          const has = declared(m.pod);
          return {
            name: m.pod.meta.name,
            cause: `no container port named "${target}" with protocol ${sp.protocol}; ${has.length > 0 ? `declares ${has.join(', ')}` : 'declares no port'}`,
          };
        }),
        ...sidecarMissed.slice(0, MAX_PODS).map(({ m, r }) => ({
          name: m.pod.meta.name,
          cause: `"${target}" is only on native sidecar ${r.container} (${r.port}); the slices list no ${sp.name || 'unnamed'} ${sp.protocol} port for it`,
        })),
      ].slice(0, MAX_PODS);

      let fix: string;
      if (unresolved.length === 0 && sidecarNumbers.length === 1) {
        fix = patchTargetPort(service, index, sidecarNumbers[0]);
      } else if (otherProtocol) {
        fix = `declare the container port named ${shellQuote(target)} with protocol: ${sp.protocol} in the pod template (edit the workload), or use a numeric targetPort`;
      } else if (none && closest && plausiblyMeant(target, closest)) {
        fix = patchTargetPort(service, index, closest);
      } else {
        fix = kubectl(
          'get',
          'pod',
          failingPods[0].meta.name,
          '-n',
          service.meta.namespace,
          '-o',
          'jsonpath={.spec.containers[*].ports}',
        );
      }
      findings.push({ reason, data, notes, port: portText, pods, fix });
    });
    return findings;
  },
};
