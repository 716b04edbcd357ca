import { isFinished } from '../model/pod-state.js';
import { plural } from './helpers.js';
import type { Check, FindingDraft } from './types.js';

export const singleReadyEndpoint: Check = {
  id: 'single-ready-endpoint',
  severity: 'info',
  title: 'The Service has exactly one ready endpoint',
  explanation:
    'With one ready endpoint the Service has no redundancy: a crash, a rollout without surge or a node failure leaves ' +
    'it with none. Distinct ready addresses are counted per address family, so a dual-stack pod counts once, and ' +
    "duplicates across slices count once, not per subset or slice as popeye's POP-1109 once did. Selectorless " +
    'Services are skipped: their endpoints are managed by hand, often one external address on purpose.',
  fix: 'Run at least two replicas of the workload behind the Service, spread over nodes.',
  run(view) {
    const { service } = view;
    if (service.type === 'ExternalName' || !service.selector) return [];
    const ready = view.counts;
    if (ready.ready !== 1) return [];
    const who =
      ready.readyPods.length > 0
        ? `${ready.readyPods.join(', ')} ${ready.readyAddresses.join(', ')}`
        : ready.readyAddresses.join(', ');
    const others = view.matched.filter((m) => !isFinished(m.pod) && !ready.readyPods.includes(m.pod.meta.name)).length;
    const draft: FindingDraft = {
      message:
        `only one ready endpoint (${who}): no redundancy, the Service goes down with it` +
        (others > 0 ? `; ${plural(others, 'other matching pod')} ${others === 1 ? 'is' : 'are'} not ready` : ''),
      pods: ready.readyPods.map((name) => ({ name, cause: 'the only ready endpoint' })),
    };
    const pod = ready.readyPods[0];
    if (pod) {
      draft.fix =
        `scale its workload to 2 or more replicas; the owner is: kubectl get pod ${pod} -n ${service.meta.namespace} ` +
        `-o jsonpath='{.metadata.ownerReferences[*].kind}/{.metadata.ownerReferences[*].name}'`;
    }
    return [draft];
  },
};
