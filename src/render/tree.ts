// -o tree: per Service, its EndpointSlices, each slice's endpoints and the Pod behind each;
// then what no other tool shows: matched pods that are in no slice (with the reason), the
// selector's near misses, and the findings where they apply. Columns as kubectl-tree aligns
// them: NAMESPACE NAME READY REASON AGE; finding lines hang under their Service unaligned. Under
// each backend pod, the NetworkPolicies isolating it for ingress, when they were read; with
// --from, whether the client reaches it on each Service port, and why (model/reachability.ts).

import type { ClusterModel } from '../model/cluster.js';
import { summarizeEvents } from '../model/events.js';
import { isControllerSlice, isSliceReadFor } from '../model/endpoint-meta.js';
import { describeServicePort } from '../model/ports.js';
import { isolatingPoliciesOf, type IsolatingPolicy } from '../model/service-policies.js';
import { sliceEntriesForPod, viewService, type MatchedPod, type ServiceView } from '../model/service-view.js';
import type {
  ContainerStatus,
  EndpointConditions,
  EndpointSlice,
  Endpoints,
  Pod,
  Service,
  Workload,
} from '../core/objects.js';
import { desiredPods, ownerChain, whyNoPods, type NamespaceWorkloads } from '../model/workloads.js';
import { describeSkippedChecks, type Report, type ServiceSummary } from '../report/report.js';
import type { Palette } from './colour.js';
import { endpointAnswers } from './connectivity.js';
import { canonicalIP } from '../core/ip.js';
import { age, evidenceLine, NO_RECENT_EVENTS } from './evidence.js';
import { displayWidth, padEnd, terminalText as t } from '../core/terminal-text.js';
import type { Finding, ServiceUser } from '../core/findings.js';
import type { ServiceReachability } from '../model/reachability.js';
import type { ServiceStatus } from '../core/findings.js';

export interface TreeOptions {
  ascii: boolean;
  showEndpoints: boolean;
  /** The moment ages are measured from (fixed in tests). */
  now: Date;
  /** More branches under a Service (the probe's Dataplane/NODE rows), after its slices. */
  branches?: (view: ServiceView) => TreeBranch[];
}

type RowState = ServiceStatus | 'dim';

/** A row another command hangs under a Service, with its own rows below. */
export interface TreeBranch {
  name: string;
  ready?: string;
  reason?: string;
  state?: RowState;
  children?: TreeBranch[];
}

function branchNode(b: TreeBranch, namespace: string): Node {
  return node({
    namespace,
    name: b.name,
    ready: b.ready ?? '-',
    reason: b.reason ?? '-',
    state: b.state ?? 'ok',
    children: (b.children ?? []).map((c) => branchNode(c, namespace)),
  });
}

interface Node {
  namespace: string;
  name: string;
  ready: string;
  reason: string;
  age: string;
  state: RowState;
  children: Node[];
  /** Unaligned lines under the row: the findings of a Service. */
  notes: { text: string; state: RowState }[];
}

const GLYPHS = {
  unicode: { branch: '├─', last: '└─', pipe: '│ ', space: '  ', arrow: '→', ownedBy: ' ← ' },
  ascii: { branch: '|-', last: '`-', pipe: '| ', space: '  ', arrow: '->', ownedBy: ' <- ' },
};

const MAX_NEAR_MISSES = 10;
const MAX_POLICIES = 10;

function node(partial: Partial<Node> & Pick<Node, 'name'>): Node {
  return { namespace: '', ready: '-', reason: '-', age: '-', state: 'ok', children: [], notes: [], ...partial };
}

/** READY x/y and the status word as kubectl get pods prints them. */
function podSummary(pod: Pod): { ready: string; reason: string; restarts: number } {
  const statuses: ContainerStatus[] = [
    ...pod.containerStatuses,
    ...pod.initContainerStatuses.filter((s) => pod.sidecars.some((c) => c.name === s.name)),
  ];
  const total = pod.containers.length + pod.sidecars.length;
  const ready = statuses.filter((s) => s.ready).length;
  const restarts = statuses.reduce((n, s) => n + s.restartCount, 0);
  let reason = pod.reason ?? pod.phase;
  const trouble = statuses.find((s) => !s.ready && (s.state === 'waiting' || s.state === 'terminated') && s.reason);
  if (trouble && pod.phase !== 'Succeeded' && pod.phase !== 'Failed') reason = trouble.reason!;
  if (pod.meta.deletionTimestamp) reason = 'Terminating';
  return { ready: `${ready}/${total}`, reason, restarts };
}

/** What a pod row needs besides the pod: the clock, and the workloads to name its owners by. */
interface PodRowContext {
  now: Date;
  model: ClusterModel;
  ascii: boolean;
}

/**
 * "Pod/web-7f9c-x ← ReplicaSet/web-7f9c ← Deployment/web": the pod and the workloads that own it,
 * in its one NAME cell (owners are no tree level of their own), when workloads were read.
 */
function podName(pod: Pod, { model, ascii }: PodRowContext): string {
  const name = `Pod/${pod.meta.name}`;
  if (!model.anyWorkloadsRead || !pod.meta.owner) return name;
  const owners = ownerChain(pod, model.workloadsIn(pod.meta.namespace));
  const separator = ascii ? GLYPHS.ascii.ownedBy : GLYPHS.unicode.ownedBy;
  return [name, ...owners.map((o) => `${o.kind}/${'meta' in o ? o.meta.name : o.name}`)].join(separator);
}

function podNode(
  pod: Pod,
  context: PodRowContext,
  reasonOverride: string | undefined,
  state: RowState,
  namespace = pod.meta.namespace,
): Node {
  const summary = podSummary(pod);
  const restarts = summary.restarts > 0 ? ` (${summary.restarts} restarts)` : '';
  return node({
    namespace,
    name: podName(pod, context),
    ready: summary.ready,
    reason: reasonOverride ?? `${summary.reason}${restarts}`,
    age: age(pod.meta.creationTimestamp, context.now),
    state,
    notes: podEventNotes(pod, context.model, context.now, state),
  });
}

/** The pod's newest Warning event under its row; for a pod in trouble without any, that there are none. */
function podEventNotes(pod: Pod, model: ClusterModel, now: Date, state: RowState): Node['notes'] {
  const events = model.warningEventsAbout('Pod', pod.meta);
  if (events === undefined) return [];
  const [newest] = summarizeEvents(events, 1);
  if (newest) return [{ text: evidenceLine(newest, now), state: state === 'ok' ? 'dim' : state }];
  return state === 'ok' ? [] : [{ text: NO_RECENT_EVENTS, state: 'dim' }];
}

/** A workload behind a selector that matches no pod: how many pods it has of those it wants, and why none. */
function workloadNode(w: Workload, workloads: NamespaceWorkloads, reason: string | undefined, now: Date): Node {
  const ready = w.kind === 'DaemonSet' ? w.status.numberReady : w.status.readyReplicas;
  const why = whyNoPods(w, workloads);
  const cause =
    why === undefined
      ? 'no pods'
      : why.cause === 'cannotCreate'
        ? `cannot create pods: ${why.failure.reason ?? why.failure.source}`
        : { scaledToZero: 'scaled to 0', noNodeWanted: 'wants no node', pausedWithoutPods: 'paused' }[why.cause];
  return node({
    namespace: w.meta.namespace,
    name: `${w.kind}/${w.meta.name}`,
    ready: `${ready}/${desiredPods(w)}`,
    reason: reason ?? cause,
    age: age(w.meta.creationTimestamp, now),
    state: 'warning',
  });
}

/** "8080/TCP admitted from some sources": what one policy does on each targetPort resolved on the pod. */
function policyReason({ ports }: IsolatingPolicy): string {
  const words = {
    'every source': 'admitted from every source',
    'some sources': 'admitted from some sources',
    no: 'not admitted',
  };
  const parts = ports.flatMap((p) =>
    p.port === undefined ? [] : [`${p.port}/${p.servicePort.protocol} ${words[p.admits]}`],
  );
  return [...new Set(parts)].join(', ') || 'isolates it for ingress';
}

/**
 * The NetworkPolicies isolating a backend pod for ingress, as rows under it: each with what it
 * admits on the Service's targetPorts, in error where the port is shut on the pod (no policy
 * admits it) and this one does not either. None when the policies were not read.
 */
function policyNodes(pod: Pod, service: Service, { model, now }: PodRowContext): Node[] {
  const policies = isolatingPoliciesOf(model, pod, service.ports) ?? [];
  const rows = policies.slice(0, MAX_POLICIES).map((p) =>
    node({
      namespace: p.policy.meta.namespace,
      name: `NetworkPolicy/${p.policy.meta.name}`,
      reason: policyReason(p),
      age: age(p.policy.meta.creationTimestamp, now),
      state: p.ports.some((port) => port.shut && port.admits === 'no') ? 'error' : 'dim',
    }),
  );
  if (policies.length > MAX_POLICIES)
    rows.push(node({ name: `… ${policies.length - MAX_POLICIES} more`, state: 'dim' }));
  return rows;
}

/** Why a matched pod is in none of the Service's slices, and how to colour it. */
function unlistedPod(m: MatchedPod, slicesRead: boolean): { reason: string; state: RowState } {
  const { shouldBeListed, ready, cause } = m.state;
  // The controller leaves it out: the cause says why (finished, no IP, no address of the family...).
  if (!shouldBeListed) return { reason: cause ?? 'not listed', state: 'warning' };
  if (!slicesRead) return { reason: ready ? 'Ready' : (cause ?? 'not ready'), state: ready ? 'ok' : 'warning' };
  return {
    reason: ready
      ? 'Ready, but in no slice: the controller should list it, it gets no traffic'
      : `${cause ?? 'not ready'}; the controller should list it (not ready), no slice does`,
    state: 'warning',
  };
}

function endpointState({ ready, serving, terminating }: EndpointConditions): { text: string; state: RowState } {
  if (ready) return { text: terminating ? 'ready,terminating' : 'ready', state: 'ok' };
  if (terminating) return { text: serving ? 'terminating,serving' : 'terminating', state: 'warning' };
  return { text: 'not ready', state: 'error' };
}

/** Slice/address of every endpoint kube-proxy uses: the others are duplicates of an address another slice holds. */
function proxiedEndpoints(view: ServiceView): Set<string> {
  return new Set(view.sliceEndpoints.map((e) => `${e.slice.meta.name}/${e.address}`));
}

/**
 * --from: per backend pod name, a line for each Service port saying whether the client reaches
 * it, and why (which side blocks it, which policies; why it is unknown). Empty without --from.
 */
function reachedLines(reachability: ServiceReachability | undefined): Map<string, Node['notes']> {
  const byPod = new Map<string, Node['notes']>();
  for (const port of reachability?.ports ?? []) {
    for (const b of port.backends) {
      const state: RowState = b.verdict === 'allowed' ? 'dim' : b.verdict === 'blocked' ? 'warning' : 'unknown';
      const line = {
        text: `from ${reachability!.from} to ${port.port} (${b.targetPort}): ${b.verdict}: ${b.reason}`,
        state,
      };
      const lines = byPod.get(b.pod);
      if (lines) lines.push(line);
      else byPod.set(b.pod, [line]);
    }
  }
  return byPod;
}

/**
 * `answers`: what --connect's endpoints answered, by canonical address (empty without --connect);
 * `reached`: --from's lines per backend pod (empty without --from).
 */
function sliceNode(
  slice: EndpointSlice,
  service: Service,
  merged: Set<string>,
  answers: Map<string, string>,
  reached: Map<string, Node['notes']>,
  context: PodRowContext,
): Node {
  const { model, now } = context;
  const ports =
    slice.ports.map((p) => `${p.name ? `${p.name}:` : ''}${p.port ?? '?'}/${p.protocol}`).join(',') || '<unset>';
  const manager = slice.managedBy ?? 'no managed-by label';
  const ready = slice.endpoints.filter((e) => e.conditions.ready).length;
  const controller = isControllerSlice(slice);
  const sliceRow = node({
    namespace: slice.meta.namespace,
    name: `EndpointSlice/${slice.meta.name}`,
    ready: `${ready}/${slice.endpoints.length}`,
    reason: `${slice.addressType} ${ports}${controller ? '' : ` (${manager})`}${slice.endpoints.length === 0 ? ' empty' : ''}`,
    age: age(slice.meta.creationTimestamp, now),
    state: slice.endpoints.length > 0 && ready === 0 ? 'error' : 'ok',
  });
  for (const e of slice.endpoints) {
    const address = e.addresses[0] ?? '<no address>';
    const { text, state } = endpointState(e.conditions);
    const where = [e.nodeName, e.zone].filter(Boolean).join(' ');
    const proxied = isSliceReadFor(service, slice);
    const remark = !proxied
      ? 'ignored by kube-proxy'
      : e.addresses[0] && !merged.has(`${slice.meta.name}/${address}`)
        ? 'duplicate: kube-proxy uses another slice'
        : '';
    const answer = e.addresses[0] ? answers.get(canonicalIP(e.addresses[0])) : undefined;
    const endpointRow = node({
      namespace: slice.meta.namespace,
      name: address,
      ready: text,
      reason: [where, remark, answer].filter(Boolean).join(', ') || '-',
      state,
    });
    const ref = e.targetRef;
    if (ref?.kind === 'Pod') {
      const pod = model.pod(ref.namespace ?? slice.meta.namespace, ref.name);
      if (pod) {
        const podRow = podNode(pod, context, undefined, state === 'ok' ? 'ok' : state);
        podRow.notes.push(...(reached.get(pod.meta.name) ?? []));
        podRow.children = policyNodes(pod, service, context);
        endpointRow.children.push(podRow);
      } else {
        endpointRow.children.push(
          node({
            namespace: ref.namespace ?? slice.meta.namespace,
            name: `Pod/${ref.name}`,
            reason: 'not in the input (gone?)',
            state: 'warning',
          }),
        );
      }
    } else if (ref) {
      endpointRow.children.push(
        node({ namespace: ref.namespace ?? '', name: `${ref.kind}/${ref.name}`, state: 'dim' }),
      );
    }
    sliceRow.children.push(endpointRow);
  }
  return sliceRow;
}

function endpointsNode(endpoints: Endpoints, now: Date): Node {
  const ready = endpoints.subsets.reduce((n, s) => n + s.addresses.length, 0);
  const total = endpoints.subsets.reduce((n, s) => n + s.addresses.length + s.notReadyAddresses.length, 0);
  const row = node({
    namespace: endpoints.meta.namespace,
    name: `Endpoints/${endpoints.meta.name} (v1, legacy)`,
    ready: `${ready}/${total}`,
    age: age(endpoints.meta.creationTimestamp, now),
    state: 'dim',
  });
  for (const subset of endpoints.subsets) {
    const ports = subset.ports.map((p) => `${p.name ? `${p.name}:` : ''}${p.port}/${p.protocol}`).join(',') || '<none>';
    for (const [list, readyText] of [
      [subset.addresses, 'ready'],
      [subset.notReadyAddresses, 'not ready'],
    ] as const) {
      for (const a of list) {
        const target = a.targetRef ? ` → ${a.targetRef.kind}/${a.targetRef.name}` : '';
        row.children.push(
          node({
            namespace: endpoints.meta.namespace,
            name: `${a.ip} ${ports}${target}`,
            ready: readyText,
            state: 'dim',
          }),
        );
      }
    }
  }
  return row;
}

function serviceNode(
  view: ServiceView,
  model: ClusterModel,
  summary: ServiceSummary | undefined,
  findings: Finding[],
  options: TreeOptions,
): Node {
  const { service } = view;
  const arrow = options.ascii ? GLYPHS.ascii.arrow : GLYPHS.unicode.arrow;
  const ports = service.ports.map((p) => `${describeServicePort(p)}${arrow}${p.targetPort}`).join(',');
  const ip = service.type === 'ExternalName' ? (service.externalName ?? '') : (service.clusterIP ?? '');
  const worst = summary?.status ?? 'ok';
  const row = node({
    namespace: service.meta.namespace,
    name: `Service/${service.meta.name}`,
    ready: summary?.endpoints ? `${summary.endpoints.ready}/${summary.endpoints.total}` : '-',
    reason: worst.toUpperCase(),
    age: age(service.meta.creationTimestamp, options.now),
    state: worst,
  });
  row.notes = [
    { text: `${service.type}${ip ? ` ${ip}` : ''}${ports ? `  ${ports}` : ''}`, state: 'dim' },
    ...(summary?.skippedChecks
      ? [
          {
            text: `${worst === 'unknown' ? 'UNKNOWN ' : ''}${describeSkippedChecks(summary.skippedChecks)}`,
            state: worst === 'unknown' ? worst : ('dim' as const),
          },
        ]
      : []),
    // --from with a client the input cannot show: no line under any backend, the reason here.
    ...(summary?.reachability?.unknown
      ? [
          {
            text: `from ${summary.reachability.from}: no verdict: ${summary.reachability.unknown}`,
            state: 'unknown' as const,
          },
        ]
      : []),
    ...findings.flatMap((f) => [
      {
        text: `${f.severity.toUpperCase()} ${f.check}${f.port ? ` (${f.port})` : ''}: ${f.message}`,
        state: f.severity,
      },
      // The newest of the Service's events the finding explains.
      ...(f.evidence?.[0] ? [{ text: `  ${evidenceLine(f.evidence[0], options.now)}`, state: 'dim' as const }] : []),
    ]),
  ];
  const merged = proxiedEndpoints(view);
  const context: PodRowContext = { now: options.now, model, ascii: options.ascii };
  const answers = endpointAnswers(summary);
  const reached = reachedLines(summary?.reachability);
  for (const slice of view.slices) row.children.push(sliceNode(slice, view.service, merged, answers, reached, context));
  if (options.showEndpoints && view.endpoints) row.children.push(endpointsNode(view.endpoints, options.now));
  for (const b of options.branches?.(view) ?? []) row.children.push(branchNode(b, service.meta.namespace));

  // Every matched pod that no slice lists: those the controller leaves out, and those it should
  // list but has not (what pod-missing-from-slices reports). Without slices in the input, all.
  const slicesRead = model.coverage.endpointSlices;
  const unlisted = view.matched.filter((m) => sliceEntriesForPod(view, m.pod).length === 0);
  if (unlisted.length > 0) {
    const branch = node({
      namespace: service.meta.namespace,
      name: slicesRead
        ? `(matched pods in no slice: ${unlisted.length})`
        : `(matched pods, EndpointSlices not read: ${unlisted.length})`,
      state: 'warning',
    });
    for (const m of unlisted) {
      const { reason, state } = unlistedPod(m, slicesRead);
      branch.children.push(podNode(m.pod, context, reason, state));
    }
    row.children.push(branch);
  }
  if (service.selector && view.matched.length === 0 && service.type !== 'ExternalName') {
    const ns = service.meta.namespace;
    const workloads = model.workloadsIn(ns);
    // The workloads whose template the selector matches: why there are no pods, not a typo.
    const behind = workloads?.matching(service.selector) ?? [];
    if (workloads && behind.length > 0) {
      const branch = node({ namespace: ns, name: '(workloads the selector picks, without pods)', state: 'warning' });
      for (const w of behind) branch.children.push(workloadNode(w, workloads, undefined, options.now));
      row.children.push(branch);
    }
    const misses = model.nearMisses(ns, service.selector);
    const elsewhere = model.podsMatchingElsewhere(ns, service.selector);
    const templateMisses = behind.length === 0 ? (workloads?.nearMisses(service.selector) ?? []) : [];
    if (misses.length + elsewhere.length + templateMisses.length > 0) {
      const branch = node({ namespace: ns, name: '(selector near misses)', state: 'warning' });
      const why = (m: { key: string; want: string; have?: string; otherKey?: string }) =>
        m.otherKey
          ? `${m.otherKey}=${m.want}, not ${m.key}`
          : m.have === undefined
            ? `lacks ${m.key}`
            : `${m.key}=${m.have}, not ${m.want}`;
      for (const m of templateMisses.slice(0, MAX_NEAR_MISSES))
        branch.children.push(workloadNode(m.workload, workloads!, `template: ${why(m)}`, options.now));
      for (const m of misses.slice(0, MAX_NEAR_MISSES))
        branch.children.push(podNode(m.pod, context, why(m), 'warning'));
      for (const p of elsewhere.slice(0, MAX_NEAR_MISSES))
        branch.children.push(podNode(p, context, `in namespace ${p.meta.namespace}`, 'warning'));
      const hidden =
        Math.max(0, templateMisses.length - MAX_NEAR_MISSES) +
        Math.max(0, misses.length - MAX_NEAR_MISSES) +
        Math.max(0, elsewhere.length - MAX_NEAR_MISSES);
      if (hidden > 0) branch.children.push(node({ name: `… ${hidden} more`, state: 'dim' }));
      row.children.push(branch);
    }
  }
  return row;
}

/** Draws `services`, which are report.services in the same order (buildReport maps the checked Services). */
export function renderTree(
  services: Service[],
  model: ClusterModel,
  report: Report,
  p: Palette,
  options: TreeOptions,
): string {
  // One pass over the findings.
  const findingsByService = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const key = `${f.namespace}/${f.service}`;
    const list = findingsByService.get(key);
    if (list) list.push(f);
    else findingsByService.set(key, [f]);
  }
  // What refers to each root (usedBy), drawn above it.
  const users: (readonly ServiceUser[])[] = report.services.map((s) => s.usedBy ?? []);
  const roots = services.map((service, i) =>
    serviceNode(
      viewService(model, service),
      model,
      report.services[i],
      findingsByService.get(`${service.meta.namespace}/${service.meta.name}`) ?? [],
      options,
    ),
  );
  // Findings about objects naming a Service the input does not hold: a row for that Service, with them.
  const listed = new Set(services.map((s) => `${s.meta.namespace}/${s.meta.name}`));
  for (const [key, findings] of findingsByService) {
    if (listed.has(key)) continue;
    const { namespace, service } = findings[0];
    const row = node({ namespace, name: `Service/${service}`, reason: 'NOT FOUND', state: 'error' });
    row.notes = findings.map((f) => ({
      text: `${f.severity.toUpperCase()} ${f.check}: ${f.message}`,
      state: f.severity,
    }));
    roots.push(row);
    users.push(findings.flatMap((f) => (f.subject ? [{ ...f.subject, detail: '' }] : [])));
  }
  if (roots.length === 0) return 'No Services found in the chosen scope.\n';

  const glyphs = options.ascii ? GLYPHS.ascii : GLYPHS.unicode;
  type Line =
    | { cells: [string, string, string, string, string]; state: RowState }
    | { note: string; state: RowState; indent: string };
  const lines: Line[] = [];
  // Every cell holds cluster text (names, container and condition messages): made safe here, once.
  const walk = (n: Node, prefix: string, childPrefix: string) => {
    lines.push({
      cells: [t(n.namespace), prefix + t(n.name), t(n.ready), t(n.reason), t(n.age)],
      state: n.state,
    });
    for (const note of n.notes)
      lines.push({
        note: t(note.text),
        state: note.state,
        indent: childPrefix + (n.children.length ? glyphs.pipe : glyphs.space),
      });
    n.children.forEach((c, i) => {
      const last = i === n.children.length - 1;
      walk(c, childPrefix + (last ? glyphs.last : glyphs.branch), childPrefix + (last ? glyphs.space : glyphs.pipe));
    });
  };
  // The objects that refer to a Service, above it in the same columns: `Ingress/front →` and where.
  const referrerLines = (list: readonly ServiceUser[]) => {
    const byObject = new Map<string, { namespace: string; name: string; details: string[] }>();
    for (const u of list) {
      const key = `${u.namespace ?? ''}/${u.kind}/${u.name}`;
      const entry = byObject.get(key) ?? { namespace: u.namespace ?? '', name: `${u.kind}/${u.name}`, details: [] };
      const where = `${u.detail}${u.port !== undefined ? ` (port ${u.port})` : ''}`;
      if (where && !entry.details.includes(where)) entry.details.push(where);
      byObject.set(key, entry);
    }
    for (const { namespace, name, details } of byObject.values()) {
      lines.push({
        cells: [t(namespace), t(`${name} ${glyphs.arrow}`), '-', t(details.join(', ') || '-'), '-'],
        state: 'dim',
      });
    }
  };
  roots.forEach((root, i) => {
    referrerLines(users[i] ?? []);
    walk(root, '', '');
  });

  const header: [string, string, string, string, string] = ['NAMESPACE', 'NAME', 'READY', 'REASON', 'AGE'];
  // A loop, not Math.max(...lines): a large cluster has more lines than a call takes arguments.
  const widths = header.map(displayWidth);
  for (const line of lines) {
    if (!('cells' in line)) continue;
    line.cells.forEach((cell, i) => {
      const width = displayWidth(cell);
      if (width > widths[i]) widths[i] = width;
    });
  }
  const out = [
    header
      .map((h, i) => padEnd(h, widths[i]))
      .join('  ')
      .trimEnd(),
  ];
  const colour = (state: RowState, text: string) =>
    state === 'dim' ? p.dim(text) : state === 'ok' ? text : p.status(state, text);
  for (const line of lines) {
    if ('cells' in line) {
      const [ns, name, ready, reason, ageText] = line.cells;
      out.push(
        [
          padEnd(ns, widths[0]),
          padEnd(name, widths[1]),
          colour(line.state, padEnd(ready, widths[2])),
          colour(line.state, padEnd(reason, widths[3])),
          ageText,
        ]
          .join('  ')
          .trimEnd(),
      );
    } else {
      out.push(colour(line.state, `${' '.repeat(widths[0] + 2)}${line.indent}${line.note}`));
    }
  }
  return out.join('\n') + '\n';
}
