import { describeServicePort, findPort } from '../model/ports.js';
import { formatLabels } from '../core/selectors.js';
import type { MatchedPod } from '../model/service-view.js';
import { eligiblePods, hasNamedTargetPort, kubectl, MAX_PODS, plural } from './helpers.js';
import type { Check, FindingDraft } from './types.js';
import { pushTo } from '../core/multimap.js';

export const targetPortInconsistent: Check = {
  id: 'target-port-inconsistent',
  severity: 'info',
  title: 'A named targetPort resolves to different numbers across the pods',
  explanation:
    'A named targetPort is resolved per pod. When pods map the name to different numbers, typically in the ' +
    'middle of a rollout that renumbered the port, the controller groups endpoints by their resolved ports and puts ' +
    'each group in its own slices. Traffic still reaches every pod on its own number; it matters when the ' +
    'mix persists after a rollout, or for tools that read one slice. Headless Services are skipped: their ' +
    "targetPort is ignored. Pods where the name does not resolve are target-port-unresolved's business.",
  fix: 'Let the rollout finish, or make every pod template give the port name the same number.',
  messages: {
    resolvesToSeveralNumbers:
      'targetPort "{{target}}" of {{port}} resolves to {{count}} different numbers: {{numbers}}; the controller puts ' +
      'each group in its own slices',
  },
  notes: { firstListed: ' (first {{max}} pods listed)' },
  appliesToServices: { backends: ['selector'], addresses: ['proxied', 'unproxied'] },
  requires: ['pods'],
  appliesTo: (view) => hasNamedTargetPort(view.service),
  run(view) {
    const { service } = view;
    if (!hasNamedTargetPort(service)) return [];
    const eligible = eligiblePods(view);
    const findings: FindingDraft[] = [];
    for (const sp of service.ports) {
      const target = sp.targetPort;
      if (typeof target !== 'string') continue;
      // Usually every pod gives the same number: the pods are grouped only once a second one shows up.
      let first: number | undefined;
      const mixed = eligible.some((m) => {
        const port = findPort(m.pod, sp);
        first ??= port;
        return port !== undefined && port !== first;
      });
      if (!mixed) continue;
      const byNumber = new Map<number, MatchedPod[]>();
      for (const m of eligible) {
        const port = findPort(m.pod, sp);
        if (port !== undefined) pushTo(byNumber, port, m);
      }
      // Largest group first: the minority is usually the old or the new template.
      const groups = [...byNumber].sort((a, b) => b[1].length - a[1].length || a[0] - b[0]);
      const total = groups.reduce((n, [, pods]) => n + pods.length, 0);
      const portText = describeServicePort(sp);
      findings.push({
        port: portText,
        reason: 'resolvesToSeveralNumbers',
        data: {
          target,
          port: portText,
          count: groups.length,
          numbers: groups.map(([n, pods]) => `${n} on ${plural(pods.length, 'pod')}`).join(', '),
          max: MAX_PODS,
        },
        ...(total > MAX_PODS ? { notes: ['firstListed'] } : {}),
        pods: groups
          .flatMap(([n, pods]) =>
            pods.map((m) => ({ name: m.pod.meta.name, cause: `"${target}" → ${n}/${sp.protocol}` })),
          )
          .slice(0, MAX_PODS),
        fix:
          'expected while a rollout renumbers the port; if it persists, compare the templates: ' +
          kubectl(
            'get',
            'pods',
            '-n',
            service.meta.namespace,
            '-l',
            formatLabels(service.selector!),
            '-o',
            'custom-columns=NAME:.metadata.name,PORTS:.spec.containers[*].ports[*].containerPort',
          ),
      });
    }
    return findings;
  },
};
