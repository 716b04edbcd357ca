import { allContainers, declaresAnyPort, declaresPort, describeServicePort } from '../model/ports.js';
import { eligiblePods, kubectl, MAX_PODS, patchTargetPort, plural } from './helpers.js';
import type { Check, FindingDraft } from './types.js';

const OPTIONAL =
  '; declaring is optional, so this is fine if the application listens on {{target}}/{{protocol}}, else connections are refused';

export const targetPortNotDeclared: Check = {
  id: 'target-port-not-declared',
  severity: 'info',
  title: 'A numeric targetPort is not among the ports the containers declare',
  explanation:
    'A numeric targetPort is used as is: the controller never checks it against the pod, and declaring containerPort ' +
    'is optional. So this is never an error. But when the containers do declare ports and this number is not ' +
    'one of them, the number may be wrong, and a port nothing listens on gives connection refused. Pods that declare ' +
    'no port at all are not judged; headless Services are skipped, their targetPort is ignored.',
  fix:
    "If the application listens on another port, set targetPort to it (or to the port's name); if it listens on this " +
    "one, declaring it in the container's ports documents that.",
  messages: {
    notDeclaredByAny: `targetPort {{target}} of {{port}} is not declared by any container ({{pods}} checked; they declare {{declared}})${OPTIONAL}`,
    notDeclaredBySome: `targetPort {{target}} of {{port}} is not declared on {{missing}} of the {{declaring}} pods that declare ports (they declare {{declared}})${OPTIONAL}`,
  },
  notes: {
    otherProtocolOnly: '; {{target}} is declared only with another protocol than {{protocol}}',
    firstListed: ' (first {{max}} listed)',
  },
  appliesToServices: { backends: ['selector'], addresses: ['proxied', 'unproxied'] },
  requires: ['pods'],
  appliesTo: (view) => view.service.ports.some((sp) => typeof sp.targetPort === 'number'),
  run(view) {
    const { service } = view;
    if (!service.ports.some((sp) => typeof sp.targetPort === 'number')) return [];
    // Only pods that declare some port say anything about the number.
    const declaring = eligiblePods(view).filter((m) => declaresAnyPort(m.pod));
    if (declaring.length === 0) return [];
    const findings: FindingDraft[] = [];
    service.ports.forEach((sp, index) => {
      const target = sp.targetPort;
      if (typeof target !== 'number') return;
      const missing = declaring.filter((m) => !declaresPort(m.pod, target, sp.protocol));
      if (missing.length === 0) return;
      const portText = describeServicePort(sp);
      const declared = (protocolFilter?: string) =>
        [
          ...new Set(
            missing.flatMap((m) =>
              allContainers(m.pod).flatMap((c) =>
                c.ports
                  .filter((p) => !protocolFilter || p.protocol === protocolFilter)
                  .map((p) => `${p.containerPort}/${p.protocol}`),
              ),
            ),
          ),
        ].sort();
      const all = declared();
      const sameProtocol = [...new Set(declared(sp.protocol))];
      const otherProtocol = missing.some((m) =>
        allContainers(m.pod).some((c) => c.ports.some((p) => p.containerPort === target && p.protocol !== sp.protocol)),
      );
      const notes: string[] = [];
      if (otherProtocol) notes.push('otherProtocolOnly');
      if (missing.length > MAX_PODS) notes.push('firstListed');
      const first = missing[0].pod;
      findings.push({
        reason: missing.length === declaring.length ? 'notDeclaredByAny' : 'notDeclaredBySome',
        data: {
          target,
          port: portText,
          protocol: sp.protocol,
          pods: plural(declaring.length, 'pod'),
          missing: missing.length,
          declaring: declaring.length,
          declared: all.join(', '),
          max: MAX_PODS,
        },
        notes,
        port: portText,
        pods: missing.slice(0, MAX_PODS).map((m) => ({
          name: m.pod.meta.name,
          cause: `declares ${allContainers(m.pod)
            .flatMap((c) => c.ports.map((p) => `${p.containerPort}/${p.protocol}`))
            .join(', ')}, not ${target}/${sp.protocol}`,
        })),
        fix:
          sameProtocol.length === 1
            ? `if the application listens on ${sameProtocol[0]}: ${patchTargetPort(service, index, Number(sameProtocol[0].split('/')[0]))}`
            : kubectl(
                'get',
                'pod',
                first.meta.name,
                '-n',
                first.meta.namespace,
                '-o',
                'jsonpath={.spec.containers[*].ports}',
              ),
      });
    });
    return findings;
  },
};
