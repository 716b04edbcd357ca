import type { Node } from '../core/objects.js';
import { agree, kubectl, MAX_PODS, plural } from './helpers.js';
import type { Check } from './types.js';
import type { FindingPod } from '../core/findings.js';

/** Taints that say the node is gone (docs/kubernetes-semantics.md#node-failure); not-ready is left out: it always comes with Ready=False. */
const DOWN_TAINTS = ['node.kubernetes.io/unreachable', 'node.kubernetes.io/out-of-service'];

/**
 * What is wrong with the node, or undefined when it is Ready and carries no down taint. Printed
 * inside parentheses ("node b (unreachable, Ready=Unknown)"), so it carries none of its own.
 */
function nodeProblem(node: Node): string | undefined {
  if (node.ready === 'False') return 'NotReady';
  if (node.ready !== 'True') return `unreachable, Ready=${node.ready}`;
  const taint = node.taints.find((t) => DOWN_TAINTS.includes(t.key));
  return taint ? `tainted ${taint.key}` : undefined;
}

interface Placed {
  /** Pod name from the targetRef or the pod itself; the address when there is neither. */
  name: string;
  nodeName: string;
  ready: boolean;
  terminating: boolean;
}

export const endpointOnUnreadyNode: Check = {
  id: 'endpoint-on-unready-node',
  severity: 'warning',
  title: 'Endpoints sit on nodes that are NotReady or unreachable',
  explanation:
    'When a node stops reporting, the node lifecycle controller marks its pods not ready only after the grace period ' +
    '(50s since v1.32), and evicts them after the 300s default toleration of the not-ready and unreachable taints. ' +
    'Until then endpoints on that node may still be ready and receive traffic that goes nowhere; later ' +
    'they stay in the slices not ready, then terminating, while the eviction is stuck.',
  fix:
    'Find out what happened to the node (`kubectl describe node NAME`); run more than one replica spread over nodes ' +
    'so that one node does not take the Service down.',
  messages: {
    stillReady:
      '{{endpoints}} {{is}} on {{nodes}}; {{subject}} still marked ready and {{gets}} traffic until the node ' +
      'controller marks {{thePod}} not ready',
    notReadyAnyMore:
      '{{endpoints}} {{is}} on {{nodes}}; {{noneIs}} ready any more but {{stays}} listed until {{thePodIs}} evicted',
  },
  notes: { firstListed: ' (first {{max}} listed)' },
  appliesToServices: { backends: ['selector', 'selectorless'] },
  requires: ['nodes'],
  // Without Nodes, any Service with an endpoint on some node may have one on a node that is down.
  appliesTo(view, model) {
    return model.coverage.endpointSlices
      ? view.sliceEndpoints.some((e) => e.nodeName !== undefined)
      : view.matched.some((m) => m.state.shouldBeListed && m.pod.nodeName !== undefined);
  },
  run(view, model) {
    // Only endpoints on a node with a problem are collected: most Services have none.
    const problemOf = (nodeName: string) => {
      const node = model.node(nodeName);
      return node ? nodeProblem(node) : undefined;
    };
    // One entry per backend: a dual-stack pod has an IPv4 and an IPv6 endpoint (docs/kubernetes-semantics.md#one-slice-set-per-address-family).
    const placed = new Map<string, Placed & { problem: string }>();
    if (model.coverage.endpointSlices) {
      for (const e of view.sliceEndpoints) {
        const problem = e.nodeName ? problemOf(e.nodeName) : undefined;
        if (!e.nodeName || !problem) continue;
        const name = e.targetRef?.kind === 'Pod' ? e.targetRef.name : e.address;
        const seen = placed.get(name);
        placed.set(name, {
          name,
          nodeName: e.nodeName,
          problem,
          ready: e.ready || (seen?.ready ?? false),
          terminating: e.terminating && (seen?.terminating ?? true),
        });
      }
    } else {
      for (const m of view.matched) {
        const problem = m.pod.nodeName ? problemOf(m.pod.nodeName) : undefined;
        if (!m.state.shouldBeListed || !m.pod.nodeName || !problem) continue;
        placed.set(m.pod.meta.name, {
          name: m.pod.meta.name,
          nodeName: m.pod.nodeName,
          problem,
          ready: m.state.ready,
          terminating: m.state.terminating,
        });
      }
    }

    const affected = [...placed.values()];
    if (affected.length === 0) return [];
    affected.sort((a, b) => Number(b.ready) - Number(a.ready) || a.name.localeCompare(b.name));

    const nodes = [...new Map(affected.map((a) => [a.nodeName, a.problem])).entries()].sort(([a], [b]) =>
      a.localeCompare(b),
    );
    const stillReady = affected.filter((a) => a.ready).length;
    const one = affected.length === 1;
    const subject = one
      ? 'it is'
      : stillReady === affected.length
        ? 'all are'
        : `${stillReady} of them ${agree(stillReady, 'is', 'are')}`;
    const data = {
      endpoints: plural(affected.length, 'endpoint'),
      is: agree(affected.length, 'is', 'are'),
      nodes: nodes.map(([n, problem]) => `node ${n} (${problem})`).join(', '),
      subject,
      gets: agree(stillReady, 'gets', 'get'),
      thePod: agree(stillReady, 'the pod', 'the pods'),
      noneIs: one ? 'it is not' : 'none is',
      stays: agree(affected.length, 'stays', 'stay'),
      thePodIs: one ? 'the pod is' : 'the pods are',
      max: MAX_PODS,
    };
    const pods: FindingPod[] = affected.slice(0, MAX_PODS).map((a) => ({
      name: a.name,
      cause: `on node ${a.nodeName} (${a.problem}); endpoint ${a.ready ? 'still ready' : 'not ready'}${a.terminating ? ', terminating' : ''}`,
    }));
    return [
      {
        reason: stillReady > 0 ? 'stillReady' : 'notReadyAnyMore',
        data,
        notes: affected.length > MAX_PODS ? ['firstListed'] : [],
        pods,
        fix: kubectl('describe', 'node', nodes[0][0]),
      },
    ];
  },
};
