// wait --for, judged on one Service: each case names the Kubernetes behaviour it pins
// (docs/kubernetes-semantics.md#which-pods-become-endpoints, docs/kubernetes-semantics.md#endpoint-conditions-and-fields) and whether the wait is over.

import { describe, expect, it } from 'vitest';
import { viewService } from '../../src/model/service-view.js';
import { judgeWait, type WaitFor } from '../../src/model/wait-condition.js';
import { parseWaitFor } from '../../src/commands/wait.js';
import { withControllers } from '../support/controller.js';
import { endpointOf, node, pod, service, slice, type Raw } from '../support/objects.js';
import { modelFromRaw } from '../../src/model/from-raw.js';

const nodeA = node('node-a');
const two = {
  ports: [
    { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
    { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
  ],
};

interface Case {
  name: string;
  objects: Raw[];
  want: WaitFor;
  port?: string;
  met: boolean;
  summary: string;
  /** The Service as it is can never meet the condition: wait refuses at once. */
  impossible?: true;
}

const ready = (count: number): WaitFor => ({ kind: 'ready', count });
const all: WaitFor = { kind: 'all-ready' };

const cases: Case[] = [
  {
    name: 'ready=1: one ready pod, one ready endpoint',
    objects: withControllers([nodeA, service('web'), pod('web-1')]),
    want: ready(1),
    met: true,
    summary: '1 ready endpoint (wanted ≥ 1)',
  },
  {
    name: 'ready=2: an unready pod is listed but not ready (docs/kubernetes-semantics.md#endpoint-conditions-and-fields)',
    objects: withControllers([nodeA, service('web'), pod('web-1'), pod('web-2', { ready: false })]),
    want: ready(2),
    met: false,
    summary: '1 ready endpoint (wanted ≥ 2)',
  },
  {
    name: 'ready=1 counts what kube-proxy merges, whoever wrote the slice (a hand-made one too)',
    objects: [
      nodeA,
      service('web', { selector: null }),
      slice('web', { managedBy: 'me', endpoints: [{ ip: '10.1.2.3' }] }),
    ],
    want: ready(1),
    met: true,
    summary: '1 ready endpoint (wanted ≥ 1)',
  },
  {
    name: '--port: only endpoints whose slice carries the port count (an unresolved port is left out of the slice, docs/kubernetes-semantics.md#endpoint-ports-and-slice-grouping)',
    objects: withControllers([nodeA, service('web', two), pod('web-1')]),
    want: ready(1),
    port: 'metrics',
    met: false,
    summary: '0 ready endpoints with port metrics (wanted ≥ 1)',
  },
  {
    name: '--port: a port that resolves counts',
    objects: withControllers([nodeA, service('web', two), pod('web-1')]),
    want: ready(1),
    port: 'http',
    met: true,
    summary: '1 ready endpoint with port http (wanted ≥ 1)',
  },
  {
    name: '--port naming no Service port never holds, and says which ports there are',
    objects: withControllers([nodeA, service('web'), pod('web-1')]),
    want: ready(1),
    port: 'grpc',
    met: false,
    summary: 'the Service has no port named "grpc" (its ports: http)',
    impossible: true,
  },
  {
    name: 'all-ready: every matched pod is a ready endpoint',
    objects: withControllers([nodeA, service('web'), pod('web-1'), pod('web-2')]),
    want: all,
    met: true,
    summary: '2/2 pods are ready endpoints',
  },
  {
    name: 'all-ready: an unready pod is waited for, by name',
    objects: withControllers([nodeA, service('web'), pod('web-1'), pod('web-2', { waiting: 'CrashLoopBackOff' })]),
    want: all,
    met: false,
    summary: '1/2 pods are ready endpoints; waiting for web-2',
  },
  {
    name: 'all-ready: a pod without an IP yet is waited for (it is not in the slices yet, docs/kubernetes-semantics.md#which-pods-become-endpoints)',
    objects: withControllers([nodeA, service('web'), pod('web-1'), pod('web-2', { ip: null, ready: false })]),
    want: all,
    met: false,
    summary: '1/2 pods are ready endpoints; waiting for web-2',
  },
  {
    name: 'all-ready: a terminating pod is on its way out and not waited for (docs/kubernetes-semantics.md#endpoint-conditions-and-fields: terminating is not ready)',
    objects: withControllers([
      nodeA,
      service('web'),
      pod('web-1'),
      pod('web-old', { terminating: true, ready: false }),
    ]),
    want: all,
    met: true,
    summary: '1/1 pods are ready endpoints',
  },
  {
    name: 'all-ready: a finished pod never becomes an endpoint and is not waited for (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
    objects: withControllers([
      nodeA,
      service('web'),
      pod('web-1'),
      pod('web-job', { phase: 'Succeeded', ready: false }),
    ]),
    want: all,
    met: true,
    summary: '1/1 pods are ready endpoints',
  },
  {
    name: 'all-ready: no matched pod is not "all ready" (a gate must not pass on nothing)',
    objects: withControllers([nodeA, service('web')]),
    want: all,
    met: false,
    summary: 'no running pod matches the selector yet',
  },
  {
    name: 'all-ready: a ready pod the slices do not list yet (the controller lags) is waited for',
    objects: [nodeA, service('web'), pod('web-1'), pod('web-2'), slice('web', { endpoints: [endpointOf('web-1')] })],
    want: all,
    met: false,
    summary: '1/2 pods are ready endpoints; waiting for web-2',
  },
  {
    name: 'all-ready with publishNotReadyAddresses: every listed endpoint is ready, so an unready pod counts (docs/kubernetes-semantics.md#endpoint-conditions-and-fields)',
    objects: withControllers([
      nodeA,
      service('web', { spec: { publishNotReadyAddresses: true } }),
      pod('web-1', { ready: false }),
    ]),
    want: all,
    met: true,
    summary: '1/1 pods are ready endpoints',
  },
  {
    name: 'all-ready on a selectorless Service has no pods to wait for',
    objects: [nodeA, service('web', { selector: null })],
    want: all,
    met: false,
    summary: 'the Service has no selector, so no pods to wait for: use --for ready=N',
    impossible: true,
  },
  {
    name: 'an ExternalName Service has no endpoints to wait for (docs/kubernetes-semantics.md#externalname-services)',
    objects: [service('web', { type: 'ExternalName', spec: { externalName: 'example.com' } })],
    want: ready(1),
    met: false,
    summary: 'an ExternalName Service has no endpoints',
    impossible: true,
  },
];

describe('judgeWait', () => {
  for (const c of cases) {
    it(`${c.met ? 'met' : 'not met'}: ${c.name}`, () => {
      const model = modelFromRaw(c.objects);
      const view = viewService(model, model.service('shop', 'web')!);
      expect(judgeWait(view, c.want, c.port)).toEqual({
        met: c.met,
        summary: c.summary,
        ...(c.impossible ? { impossible: true } : {}),
      });
    });
  }
});

describe('parseWaitFor', () => {
  it('reads ready=N and all-ready', () => {
    expect(parseWaitFor('ready=3')).toEqual({ kind: 'ready', count: 3 });
    expect(parseWaitFor('all-ready')).toEqual({ kind: 'all-ready' });
  });
  it.each(['ready=0', 'ready=-1', 'ready', 'ready=two', 'condition=Ready', ''])('refuses %j', (text) => {
    expect(() => parseWaitFor(text)).toThrow(/is not ready=N \(N ≥ 1\) or all-ready/);
  });
});
