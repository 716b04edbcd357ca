import type { NearMiss } from '../model/cluster.js';
import { formatLabels } from '../model/selectors.js';
import { kubectl, MAX_PODS, patchService, shellQuote } from './helpers.js';
import type { Check, FindingDraft, FindingPod } from './types.js';

export const selectorNoMatch: Check = {
  id: 'selector-no-match',
  severity: 'error',
  title: 'The selector matches no pod in the Service namespace',
  explanation:
    "The EndpointSlice controller lists pods in the Service's own namespace that carry every label of spec.selector " +
    '(an AND of equalities). When none does, the Service gets only an empty placeholder slice and kube-proxy rejects ' +
    'its traffic. Pods in other namespaces never count.',
  fix:
    'Make the selector and the pod template labels agree: correct spec.selector on the Service, or the labels in the ' +
    "workload's pod template. `kubectl get pods -n NS --show-labels` shows what the pods carry.",
  run(view, model) {
    const { service } = view;
    if (service.type === 'ExternalName' || !service.selector || view.matched.length > 0) return [];
    const ns = service.meta.namespace;
    const selector = service.selector;
    const elsewhere = model.podsMatchingElsewhere(ns, selector);
    // Near misses grouped by the label that is off and the value they have: the largest group
    // says which label is most likely wrong, and is listed first.
    const groups = new Map<string, NearMiss[]>();
    for (const m of model.nearMisses(ns, selector)) {
      const key = `${m.key}\u0000${m.have === undefined ? '\u0001' : m.have}`;
      const group = groups.get(key);
      if (group) group.push(m);
      else groups.set(key, [m]);
    }
    const ordered = [...groups.entries()].sort(([ka, a], [kb, b]) => b.length - a.length || (ka < kb ? -1 : 1));
    const nearMisses = ordered.flatMap(([, group]) => group);
    const top = ordered[0]?.[1];

    // Only the pods listed are described: a typo can make every pod in the namespace a near miss.
    const pods: FindingPod[] = [
      ...nearMisses.slice(0, MAX_PODS).map((m) => ({
        name: m.pod.meta.name,
        cause:
          m.have === undefined
            ? `lacks label ${m.key} (selector wants ${m.key}=${m.want})`
            : `has ${m.key}=${m.have}, selector wants ${m.key}=${m.want}`,
      })),
      ...elsewhere.slice(0, MAX_PODS).map((p) => ({
        name: p.meta.name,
        namespace: p.meta.namespace,
        cause: `matches every selector label but is in namespace ${p.meta.namespace}`,
      })),
    ].slice(0, MAX_PODS);

    let message = `selector ${formatLabels(selector)} matches no pod in namespace ${ns}`;
    const draft: FindingDraft = { message, pods };
    if (top) {
      const { key, want, have } = top[0]!;
      message += `; ${top.length} pod${top.length === 1 ? '' : 's'} ${top.length === 1 ? 'matches' : 'match'} all but ${key}: `;
      message += have === undefined ? `they lack it (want ${key}=${want})` : `they have ${key}=${have}, not ${want}`;
      draft.fix =
        have === undefined
          ? `add the label ${shellQuote(`${key}=${want}`)} to the pod template, or drop ${shellQuote(key)} from the selector: ${kubectl('edit', 'service', service.meta.name, '-n', ns)}`
          : `if the pods are right, point the selector at them: ${patchService(service, { spec: { selector: { [key]: have } } })}`;
    }
    if (elsewhere.length > 0) {
      const namespaces = [...new Set(elsewhere.map((p) => p.meta.namespace))].sort();
      message += `; ${elsewhere.length} matching pod${elsewhere.length === 1 ? ' is' : 's are'} in namespace ${namespaces.join(', ')} (a Service selects only in its own namespace)`;
      draft.fix ??= `create the Service in namespace ${shellQuote(namespaces[0]!)}, or run the pods in ${shellQuote(ns)}`;
    }
    if (!top && elsewhere.length === 0) {
      message += '; no pod there carries these labels';
      draft.fix = `compare with the pods' labels: ${kubectl('get', 'pods', '-n', ns, '--show-labels')}`;
    }
    draft.message = message;
    return [draft];
  },
};
