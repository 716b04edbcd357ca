// What `wait --for` waits for, judged on one Service's view:
// - ready=N: at least N ready endpoints, counted as the report counts them (distinct addresses
//   per address family, the larger family; none whose pod is gone), only endpoints whose slice
//   carries --port when given.
// - all-ready: every pod the selector matches that is meant to serve is a ready endpoint (with
//   --port, one whose slice carries that port), and there is at least one such pod. Finished
//   pods (Succeeded/Failed) never become endpoints and terminating pods are on their way out
//   (docs/kubernetes-semantics.md#which-pods-become-endpoints, docs/kubernetes-semantics.md#endpoint-conditions-and-fields), so neither is waited for; a pod without an IP yet is.

import { isFinished } from './pod-state.js';
import { isReadyBackend, type ServiceEndpoint, type ServiceView } from './service-view.js';

export type WaitFor = { kind: 'ready'; count: number } | { kind: 'all-ready' };

export interface WaitProgress {
  met: boolean;
  /** Where things stand, e.g. "2 ready endpoints (wanted ≥ 3)" or "1/2 pods are ready endpoints; waiting for web-2". */
  summary: string;
  /** The Service as it is can never meet the condition (no such port, no pods to wait for...): waiting is pointless. */
  impossible?: true;
}

export function describeWaitFor(want: WaitFor, port?: string): string {
  const onPort = port ? ` with port ${port}` : '';
  return want.kind === 'all-ready' ? `all-ready${onPort}` : `ready=${want.count}${onPort}`;
}

export function judgeWait(view: ServiceView, want: WaitFor, port?: string): WaitProgress {
  const { service } = view;
  if (service.type === 'ExternalName') {
    return { met: false, summary: 'an ExternalName Service has no endpoints', impossible: true };
  }
  if (port !== undefined && !service.ports.some((p) => p.name === port)) {
    const names = service.ports.map((p) => p.name || '(unnamed)').join(', ');
    return {
      met: false,
      summary: `the Service has no port named "${port}" (its ports: ${names || 'none'})`,
      impossible: true,
    };
  }
  const carries = (e: ServiceEndpoint) => port === undefined || e.slice.ports.some((p) => p.name === port);
  const ready = view.sliceEndpoints.filter((e) => isReadyBackend(e) && carries(e));

  if (want.kind === 'ready') {
    const perFamily = new Map<string, number>();
    for (const e of ready) perFamily.set(e.addressType, (perFamily.get(e.addressType) ?? 0) + 1);
    const count = Math.max(0, ...perFamily.values());
    return {
      met: count >= want.count,
      summary: `${count} ready endpoint${count === 1 ? '' : 's'}${port ? ` with port ${port}` : ''} (wanted ≥ ${want.count})`,
    };
  }

  if (view.selectorless) {
    return {
      met: false,
      summary: 'the Service has no selector, so no pods to wait for: use --for ready=N',
      impossible: true,
    };
  }
  const wanted = view.matched.filter((m) => !isFinished(m.pod) && m.pod.meta.deletionTimestamp === undefined);
  if (wanted.length === 0) return { met: false, summary: 'no running pod matches the selector yet' };
  const waiting = wanted.filter(
    ({ pod }) =>
      !ready.some((e) =>
        e.targetRef?.kind === 'Pod'
          ? e.targetRef.name === pod.meta.name && (e.targetRef.namespace ?? pod.meta.namespace) === pod.meta.namespace
          : pod.podIPs.includes(e.address),
      ),
  );
  const names = waiting
    .slice(0, 5)
    .map((m) => m.pod.meta.name)
    .join(', ');
  return {
    met: waiting.length === 0,
    summary:
      waiting.length === 0
        ? `${wanted.length}/${wanted.length} pods are ready endpoints${port ? ` with port ${port}` : ''}`
        : `${wanted.length - waiting.length}/${wanted.length} pods are ready endpoints${port ? ` with port ${port}` : ''}; waiting for ${names}${waiting.length > 5 ? ', …' : ''}`,
  };
}
