// A selector that matches no pod of the Service's namespace (the EndpointSlice controller lists
// pods with podLister.Pods(namespace).List(selector)), with the pods that almost match: those
// missing one label of a longer selector, and for a one-label selector those whose value is
// alike, or who carry the wanted value under another key. When several groups of pods are
// equally close, which one the Service is meant for is not for this check to guess.
//
// Where the input holds the workloads, their pod templates count too: a template that misses the
// selector the same way names the object to change; with no pod alike, templates that miss are
// the near misses. A selector that matches a workload's template is no typo: when that
// workload's status says why it has no pods, workload-scaled-to-zero or
// workload-cannot-create-pods reports it and this check stays quiet; otherwise it says that the
// template matches and its pods are missing.

import type { NearMiss } from '../model/cluster.js';
import { formatLabels } from '../core/selectors.js';
import type { Service, Workload } from '../core/objects.js';
import {
  desiredPods,
  selectorUses,
  whyNoPods,
  workloadName,
  workloadRef,
  type TemplateMiss,
} from '../model/workloads.js';
import { fillTemplate } from '../core/template.js';
import { agree, kubectl, listSome, MAX_PODS, patchService, plural, shellQuote } from './helpers.js';
import type { Check, FindingDraft } from './types.js';
import type { FindingPod } from '../core/findings.js';

/** How a pod or a pod template misses the selector: the one label, and what it has instead. */
type Miss = Pick<NearMiss, 'key' | 'want' | 'have' | 'otherKey'>;

/** Near misses that miss the selector the same way: one label, the same value (or key) instead. */
interface Group {
  miss: Miss;
  pods: NearMiss[];
}

function groupKey(m: Miss): string {
  return [m.key, m.otherKey ?? '', m.have ?? '\u0001'].join('\u0000');
}

function podCause(m: NearMiss): string {
  if (m.otherKey) return `has ${m.otherKey}=${m.want}, selector wants ${m.key}=${m.want}`;
  return m.have === undefined
    ? `lacks label ${m.key} (selector wants ${m.key}=${m.want})`
    : `has ${m.key}=${m.have}, selector wants ${m.key}=${m.want}`;
}

/**
 * How a group of pods misses the selector, by the reason of a finding about that one group: the
 * end of its message, or an item of the list when groups tie.
 */
const GROUP = {
  nearMissOtherKey: '{{pods}} {{carries}} the value under another key: {{otherKey}}={{want}}, not {{key}}={{want}}',
  nearMissLacksLabel: '{{pods}} {{matches}} all but {{key}}: {{it}} {{lacks}} it (want {{key}}={{want}})',
  nearMissOtherValue: '{{pods}} {{matches}} all but {{key}}: {{it}} {{has}} {{key}}={{value}}, not {{want}}',
};

function groupKind({ miss: m }: Group): keyof typeof GROUP {
  if (m.otherKey) return 'nearMissOtherKey';
  return m.have === undefined ? 'nearMissLacksLabel' : 'nearMissOtherValue';
}

function groupData({ miss: m, pods }: Group): Record<string, string | number> {
  const n = pods.length;
  return {
    pods: plural(n, 'pod'),
    carries: agree(n, 'carries', 'carry'),
    matches: agree(n, 'matches', 'match'),
    it: agree(n, 'it', 'they'),
    lacks: agree(n, 'lacks', 'lack'),
    has: agree(n, 'has', 'have'),
    key: m.key,
    want: m.want,
    ...(m.otherKey ? { otherKey: m.otherKey } : {}),
    ...(m.have !== undefined ? { value: m.have } : {}),
  };
}

const NO_MATCH = 'selector {{selector}} matches no pod in namespace {{namespace}}';
const ELSEWHERE =
  '{{elsewhere}} matching {{podIs}} in namespace {{namespaces}} (a Service selects only in its own namespace)';

/**
 * The fix for one unambiguous way of missing: change the selector to the pods, or the pod
 * template to the selector. `templates`: the workloads whose template misses that way, named as
 * what to edit; one whose own selector uses the key cannot change it (apps/v1 refuses a template
 * its selector no longer matches), so only the Service is offered for it.
 */
function groupFix(service: Service, m: Miss, templates: readonly Workload[]): string {
  const { name, namespace } = service.meta;
  const editable = templates.filter((w) => !selectorUses(w, m.key));
  const template =
    editable.length > 0
      ? `the pod template of ${editable.map((w) => `${shellQuote(workloadRef(w))} (${kubectl('edit', workloadRef(w), '-n', namespace)})`).join(', ')}`
      : 'the pod template';
  const templateFixable = templates.length === 0 || editable.length > 0;
  if (m.otherKey) {
    // A strategic merge patch: null removes the key the pods do not use.
    const selector = { [m.key]: null, [m.otherKey]: m.want };
    const patch = patchService(service, { spec: { selector } });
    return templateFixable
      ? `if the pods are right, point the selector at the key they use: ${patch}; or label ${template} ${shellQuote(`${m.key}=${m.want}`)}`
      : `point the selector at the key the pods use: ${patch}`;
  }
  if (m.have === undefined) {
    return (
      `add the label ${shellQuote(`${m.key}=${m.want}`)} to ${template}, or drop ${shellQuote(m.key)} from the ` +
      `selector: ${kubectl('edit', 'service', name, '-n', namespace)}`
    );
  }
  const patch = patchService(service, { spec: { selector: { [m.key]: m.have } } });
  if (templates.length === 0) return `if the pods are right, point the selector at them: ${patch}`;
  return templateFixable
    ? `if the pods are right, point the selector at them: ${patch}; or set ${shellQuote(`${m.key}=${m.want}`)} in ${template}`
    : `point the selector at the pods: ${patch} (the workload's own selector uses ${shellQuote(m.key)}, so its template cannot change it)`;
}

/** "Deployment web's template has tier=fe, not frontend": one template's near miss, as a list item. */
function templateMissText(t: TemplateMiss): string {
  const whose = `${workloadName(t.workload)}'s template`;
  if (t.otherKey) return `${whose} has ${t.otherKey}=${t.want}, not ${t.key}=${t.want}`;
  return t.have === undefined
    ? `${whose} lacks ${t.key} (want ${t.key}=${t.want})`
    : `${whose} has ${t.key}=${t.have}, not ${t.want}`;
}

/** Several groups equally close: say only what they agree on. */
function tieFix(service: Service, tied: Group[]): string {
  const { name, namespace } = service.meta;
  const showLabels = kubectl('get', 'pods', '-n', namespace, '--show-labels');
  const keys = new Set(tied.map((g) => g.miss.key));
  const values = tied.map((g) => g.miss.have);
  if (keys.size === 1 && tied.every((g) => !g.miss.otherKey) && values.every((v) => v !== undefined)) {
    const key = tied[0].miss.key;
    return (
      `every group has another ${shellQuote(key)} than the selector's ${shellQuote(tied[0].miss.want)} ` +
      `(${values.map((v) => shellQuote(v)).join(' or ')}): set it to the value of the pods the Service is for ` +
      `(${kubectl('edit', 'service', name, '-n', namespace)}), or correct that workload's pod template; ${showLabels}`
    );
  }
  return `decide which pods the Service is for, then correct the selector or their pod template: ${showLabels}`;
}

export const selectorNoMatch: Check = {
  id: 'selector-no-match',
  severity: 'error',
  title: 'The selector matches no pod in the Service namespace',
  explanation:
    "The EndpointSlice controller lists pods in the Service's own namespace that carry every label of spec.selector " +
    '(an AND of equalities). When none does, the Service gets only an empty placeholder slice and kube-proxy rejects ' +
    'its traffic. Pods in other namespaces never count. Pods that miss by one label are listed; for a one-label ' +
    'selector, pods with an alike value or with the value under another key. When several groups miss equally, no ' +
    'one group is suggested. Where Deployments, ReplicaSets, StatefulSets and DaemonSets were read, their pod ' +
    'templates count as near misses too, and the fix names the template to edit.',
  fix:
    'Make the selector and the pod template labels agree: correct spec.selector on the Service, or the labels in the ' +
    "workload's pod template. `kubectl get pods -n NS --show-labels` shows what the pods carry. When the selector " +
    "matches a workload's pod template, the selector is right: workload-scaled-to-zero or " +
    'workload-cannot-create-pods says why its pods are missing, or this check names the workload to describe.',
  messages: {
    nearMissOtherKey: `${NO_MATCH}; ${GROUP.nearMissOtherKey}`,
    nearMissLacksLabel: `${NO_MATCH}; ${GROUP.nearMissLacksLabel}`,
    nearMissOtherValue: `${NO_MATCH}; ${GROUP.nearMissOtherValue}`,
    nearMissTie: `${NO_MATCH}; {{groups}} groups of pods miss it equally, so which the Service is for is not clear: {{misses}}`,
    podsInOtherNamespace: `${NO_MATCH}; ${ELSEWHERE}`,
    noPodAlike: `${NO_MATCH}; no pod there carries these labels, or anything alike`,
    templateNearMiss: `${NO_MATCH}; no pod is alike, but a pod template is: {{templates}}`,
    templateWithoutPods:
      'selector {{selector}} matches no pod in namespace {{namespace}}, but it matches the pod template of {{workload}}, which ' +
      'wants {{replicas}} and has none: the selector is right, the pods are missing',
  },
  notes: {
    alsoInOtherNamespace: `; ${ELSEWHERE}`,
    sameAsTemplate: ' ({{templates}} {{makes}} them so)',
  },
  noReadyEndpointReasons: [
    'nearMissOtherKey',
    'nearMissLacksLabel',
    'nearMissOtherValue',
    'nearMissTie',
    'podsInOtherNamespace',
    'noPodAlike',
    'templateNearMiss',
    'templateWithoutPods',
  ],
  appliesToServices: { backends: ['selector'] },
  requires: ['pods'],
  run(view, model) {
    const { service } = view;
    if (view.matched.length > 0) return [];
    const ns = service.meta.namespace;
    const selector = service.selector!;
    const data: Record<string, string | number> = { selector: formatLabels(selector), namespace: ns };
    const workloads = model.workloadsIn(ns);
    const behind = workloads?.matching(selector) ?? [];
    if (behind.length > 0) {
      // The selector is no typo. A workload whose status explains its missing pods is another
      // check's finding (when every workload kind was read); one whose pods are missing for a
      // reason the input does not show is this check's.
      const unexplained = model.workloadsRead ? behind.filter((w) => !whyNoPods(w, workloads!)) : behind;
      if (unexplained.length === 0) return [];
      const w = unexplained[0];
      return [
        {
          reason: 'templateWithoutPods',
          data: { ...data, workload: workloadName(w), replicas: desiredPods(w) },
          fix: `its controller's events say why it has no pods: ${kubectl('describe', workloadRef(w), '-n', ns)}`,
        },
      ];
    }
    const templateMisses = workloads?.nearMisses(selector) ?? [];
    const elsewhere = model.podsMatchingElsewhere(ns, selector);
    // Near misses grouped by how they miss; the largest group first.
    const byKey = new Map<string, Group>();
    for (const m of model.nearMisses(ns, selector)) {
      const key = groupKey(m);
      const group = byKey.get(key);
      if (group) group.pods.push(m);
      else byKey.set(key, { miss: m, pods: [m] });
    }
    const ordered = [...byKey.entries()]
      .sort(([ka, a], [kb, b]) => b.pods.length - a.pods.length || (ka < kb ? -1 : 1))
      .map(([, group]) => group);
    const top = ordered[0];
    const tied = top ? ordered.filter((g) => g.pods.length === top.pods.length) : [];

    // Only the pods listed are described: a typo can make every pod in the namespace a near miss.
    const pods: FindingPod[] = [
      ...ordered.flatMap((g) => g.pods.slice(0, MAX_PODS).map((m) => ({ name: m.pod.meta.name, cause: podCause(m) }))),
      ...elsewhere.slice(0, MAX_PODS).map((p) => ({
        name: p.meta.name,
        namespace: p.meta.namespace,
        cause: `matches every selector label but is in namespace ${p.meta.namespace}`,
      })),
    ].slice(0, MAX_PODS);

    const draft: FindingDraft = { reason: 'noPodAlike', data, pods };
    const notes: string[] = [];
    if (tied.length > 1) {
      draft.reason = 'nearMissTie';
      data.groups = tied.length;
      data.misses = tied
        .map((g) => fillTemplate(GROUP[groupKind(g)], groupData(g), () => 'selector-no-match: a near miss'))
        .join('; ');
      draft.fix = tieFix(service, tied);
    } else if (top) {
      draft.reason = groupKind(top);
      Object.assign(data, groupData(top));
      // The workloads whose template misses as these pods do: what makes them so, and what to edit.
      const templates = templateMisses.filter((t) => groupKey(t) === groupKey(top.miss)).map((t) => t.workload);
      if (templates.length > 0) {
        notes.push('sameAsTemplate');
        data.templates = listSome(templates.map((w) => `${workloadName(w)}'s pod template`));
        data.makes = agree(templates.length, 'makes', 'make');
      }
      draft.fix = groupFix(service, top.miss, templates);
    } else if (elsewhere.length === 0 && templateMisses.length > 0) {
      // No pod to compare with (a workload scaled to zero, say): the templates are the near misses.
      draft.reason = 'templateNearMiss';
      data.templates = templateMisses.map(templateMissText).join('; ');
      const ways = new Set(templateMisses.map(groupKey));
      draft.fix =
        ways.size === 1
          ? groupFix(
              service,
              templateMisses[0],
              templateMisses.map((t) => t.workload),
            )
          : `decide which workload the Service is for, then correct the selector or its pod template: ${kubectl('get', 'deployments,statefulsets,daemonsets', '-n', ns, '-o', 'wide')}`;
    }
    if (elsewhere.length > 0) {
      const namespaces = [...new Set(elsewhere.map((p) => p.meta.namespace))].sort();
      Object.assign(data, {
        elsewhere: elsewhere.length,
        podIs: agree(elsewhere.length, 'pod is', 'pods are'),
        namespaces: namespaces.join(', '),
      });
      if (top) notes.push('alsoInOtherNamespace');
      else draft.reason = 'podsInOtherNamespace';
      draft.fix ??= `create the Service in namespace ${shellQuote(namespaces[0])}, or run the pods in ${shellQuote(ns)}`;
    }
    if (notes.length > 0) draft.notes = notes;
    if (!top && elsewhere.length === 0 && templateMisses.length === 0) {
      draft.fix = `compare with the pods' labels: ${kubectl('get', 'pods', '-n', ns, '--show-labels')}`;
    }
    return [draft];
  },
};
