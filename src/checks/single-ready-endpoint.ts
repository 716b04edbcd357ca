import { isFinished } from '../model/pod-state.js';
import { isSliceReadFor } from '../model/endpoint-meta.js';
import { readyBackends, sliceEntriesForPod, type MatchedPod, type ServiceView } from '../model/service-view.js';
import { agree, byRelevance, getSlices, listSome, plural, podFix, podOwner, shellQuote } from './helpers.js';
import type { Check, FindingDraft } from './types.js';
import { canonicalIP } from '../core/ip.js';

/** What keeps another matching pod from being a second ready endpoint, by what is true of it. */
type OtherKind = 'terminating' | 'not ready' | 'unlisted' | 'listed not ready';

function otherKind(view: ServiceView, m: MatchedPod): OtherKind {
  if (m.state.terminating) return 'terminating';
  // Not Ready (and not published anyway by publishNotReadyAddresses): the pod itself is the problem.
  if (!m.state.serving && !view.service.publishNotReadyAddresses) return 'not ready';
  // Ready, but the controller keeps it out (missing Node, no address of the Service's family)...
  if (!m.state.shouldBeListed) return 'unlisted';
  if (view.counts.source === 'pods') return 'not ready';
  // ...or the slices kube-proxy reads (IPv4/IPv6 ones of the Service's families) do not list it, or not as ready.
  const entries = sliceEntriesForPod(view, m.pod).filter((e) => isSliceReadFor(view.service, e.slice));
  return entries.length === 0 ? 'unlisted' : 'listed not ready';
}

export const singleReadyEndpoint: Check = {
  id: 'single-ready-endpoint',
  severity: 'info',
  title: 'The Service has exactly one ready endpoint',
  explanation:
    'With one ready endpoint the Service has no redundancy: a crash, a rollout without surge or a node failure leaves ' +
    'it with none. Distinct ready addresses are counted per address family, so a dual-stack pod counts once, and ' +
    "duplicates across slices count once, not per subset or slice as popeye's POP-1109 once did. An endpoint whose " +
    'pod is gone is no ready backend (stale-endpoints), although kube-proxy still sends it traffic. Selectorless ' +
    'Services are skipped: their endpoints are managed by hand, often one external address on purpose.',
  fix: 'Run at least two replicas of the workload behind the Service, spread over nodes.',
  messages: {
    oneReadyEndpoint: 'only one ready endpoint ({{who}}): no redundancy, the Service goes down with it',
  },
  // What else the input shows: pods that could be a second endpoint, and endpoints that are none.
  notes: {
    othersNotReady: '; {{notReady}} {{notReadyIs}} not ready',
    allTerminating: ' (terminating)',
    someTerminating: ' ({{terminating}} terminating)',
    othersUnlisted: '; {{unlisted}} {{unlistedIs}} Ready but in no EndpointSlice of the Service ({{unlistedNames}})',
    othersListedNotReady:
      '; {{listedNotReady}} {{listedNotReadyIs}} Ready but still listed not ready in the slices ({{listedNotReadyNames}})',
    goneBackends:
      '; {{stale}} {{staleIs}} listed ready, but {{stalePodIs}} gone or {{staleHas}} another IP (see stale-endpoints): ' +
      'kube-proxy still sends part of the traffic there',
  },
  appliesToServices: { backends: ['selector'] },
  run(view, model) {
    const { service } = view;
    if (view.counts.ready !== 1) return [];
    const ready = readyBackends(view);
    const ns = service.meta.namespace;
    const who =
      ready.pods.length > 0 ? `${ready.pods.join(', ')} ${ready.addresses.join(', ')}` : ready.addresses.join(', ');
    const readyAddresses = new Set(ready.addresses.map(canonicalIP));
    // The pod behind the one ready endpoint, by targetRef or (hand-made endpoint without one) by address.
    const isTheReadyOne = (m: MatchedPod) =>
      ready.pods.includes(m.pod.meta.name) || m.pod.podIPs.some((ip) => readyAddresses.has(canonicalIP(ip)));
    const others = byRelevance(view.matched.filter((m) => !isFinished(m.pod) && !isTheReadyOne(m)));
    const byKind = (kind: OtherKind) => others.filter((m) => otherKind(view, m) === kind);
    const notReady = byKind('not ready');
    const terminating = byKind('terminating');
    const unlisted = byKind('unlisted');
    const listedNotReady = byKind('listed not ready');

    const notes: string[] = [];
    const data: Record<string, string | number> = { who };
    if (notReady.length + terminating.length > 0) {
      const n = notReady.length + terminating.length;
      notes.push('othersNotReady');
      data.notReady = plural(n, 'other matching pod');
      data.notReadyIs = agree(n, 'is', 'are');
      if (terminating.length === n) notes.push('allTerminating');
      else if (terminating.length > 0) {
        notes.push('someTerminating');
        data.terminating = terminating.length;
      }
    }
    // "other matching pod" for the first group named, "other pod" after it.
    const otherPods = (n: number) => plural(n, notes.length > 0 ? 'other pod' : 'other matching pod');
    if (unlisted.length > 0) {
      data.unlisted = otherPods(unlisted.length);
      data.unlistedIs = agree(unlisted.length, 'is', 'are');
      data.unlistedNames = listSome(
        unlisted.map((m) => m.pod.meta.name),
        3,
      );
      notes.push('othersUnlisted');
    }
    if (listedNotReady.length > 0) {
      data.listedNotReady = otherPods(listedNotReady.length);
      data.listedNotReadyIs = agree(listedNotReady.length, 'is', 'are');
      data.listedNotReadyNames = listSome(
        listedNotReady.map((m) => m.pod.meta.name),
        3,
      );
      notes.push('othersListedNotReady');
    }
    // Endpoints kube-proxy still programs as ready although their pod is gone: no redundancy either.
    const stale = view.sliceEndpoints.filter((e) => e.ready && e.stale).length;
    if (stale > 0) {
      notes.push('goneBackends');
      Object.assign(data, {
        stale: plural(stale, 'more endpoint'),
        staleIs: agree(stale, 'is', 'are'),
        stalePodIs: agree(stale, 'its pod is', 'their pods are'),
        staleHas: agree(stale, 'has', 'have'),
      });
    }
    const draft: FindingDraft = {
      reason: 'oneReadyEndpoint',
      data,
      notes,
      pods: ready.pods.map((name) => ({ name, cause: 'the only ready endpoint' })),
    };

    // More replicas help only when there is nobody else: otherwise get the pods that exist serving.
    const first = notReady[0];
    const pod = ready.pods[0] ?? view.matched.find(isTheReadyOne)?.pod.meta.name;
    if (first) {
      draft.fix =
        (notReady.length === 1
          ? `the selector already matches another pod, ${shellQuote(first.pod.meta.name)}: make it ready rather than adding replicas: `
          : `the selector already matches ${notReady.length} other pods: make them ready rather than adding replicas, ` +
            `starting with ${shellQuote(first.pod.meta.name)}: `) + podFix(first, model);
    } else if (unlisted.length + listedNotReady.length > 0) {
      draft.fix =
        `the other pods are Ready but not ready endpoints; see what the slices list and whether kube-controller-manager ` +
        `reports sync errors: ${getSlices(service, '-o', 'yaml')}`;
    } else if (pod) {
      draft.fix = `scale its workload to 2 or more replicas; the owner is: ${podOwner(ns, pod)}`;
    }
    return [draft];
  },
};
