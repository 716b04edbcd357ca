// The workloads behind the pods: which ones a Service's selector picks by their pod template,
// how many pods each wants, who owns a pod, and the templates that almost match a selector.
// A Deployment speaks for the ReplicaSets it controls (the deployment controller sets their
// replicas and copies their ReplicaFailure condition into its own status), so those ReplicaSets
// are left out of what a check reports whenever their Deployment is in the input.

import { labelValue, matchesSelector } from '../core/selectors.js';
import type { Event, Labels, ObjectMeta, OwnerRef, Pod, ReplicaSet, Workload } from '../core/objects.js';
import { plausiblyMeant } from './similar.js';

/** "Deployment web", as messages name a workload. */
export function workloadName(w: Workload): string {
  return `${w.kind} ${w.meta.name}`;
}

/** "deployment/web", as kubectl names it in a command. */
export function workloadRef(w: Workload): string {
  return `${w.kind.toLowerCase()}/${w.meta.name}`;
}

/** The pods the workload's controller wants: spec.replicas, or for a DaemonSet the nodes it chose. */
export function desiredPods(w: Workload): number {
  return w.kind === 'DaemonSet' ? w.status.desiredNumberScheduled : w.replicas;
}

/** Whether `owner` is the ReplicaSet's controlling Deployment (the same uid, when both say one). */
function isControlledBy(rs: ReplicaSet, owner: Workload): boolean {
  const ref = rs.meta.owner;
  return (
    ref !== undefined &&
    owner.kind === 'Deployment' &&
    ref.kind === 'Deployment' &&
    ref.name === owner.meta.name &&
    (ref.uid === undefined || owner.meta.uid === undefined || ref.uid === owner.meta.uid)
  );
}

/** The workloads of one namespace, indexed for owners and template matches. */
export class NamespaceWorkloads {
  private readonly byRef = new Map<string, Workload>();

  /**
   * In name order (model/cluster.ts sorts them), a name's kinds in alphabetical order.
   * `warningsAbout`: the model's Warning events about an object (undefined where Events were not read).
   */
  constructor(
    readonly all: readonly Workload[],
    private readonly warningsAbout: (kind: string, meta: ObjectMeta) => readonly Event[] | undefined = () => undefined,
  ) {
    for (const w of all) this.byRef.set(`${w.kind}/${w.meta.name}`, w);
  }

  /** The newest FailedCreate Warning event about the workload: its controller's create call was refused. */
  failedCreate(w: Workload): Event | undefined {
    let newest: Event | undefined;
    for (const e of this.warningsAbout(w.kind, w.meta) ?? []) {
      if (e.reason !== 'FailedCreate') continue;
      if (!newest || (e.lastSeen ?? '') > (newest.lastSeen ?? '')) newest = e;
    }
    return newest;
  }

  /** The owner a reference names, when the input holds it (and the uids, when both given, agree). */
  owner(ref: OwnerRef): Workload | undefined {
    const w = this.byRef.get(`${ref.kind}/${ref.name}`);
    if (!w || (ref.uid !== undefined && w.meta.uid !== undefined && ref.uid !== w.meta.uid)) return undefined;
    return w;
  }

  /** Whether a Deployment of the input controls this ReplicaSet: the Deployment is what to report and change. */
  private speaksFor(w: Workload): boolean {
    if (w.kind !== 'ReplicaSet' || !w.meta.owner) return false;
    const owner = this.owner(w.meta.owner);
    return owner !== undefined && isControlledBy(w, owner);
  }

  /**
   * Workloads whose pod template carries every selector label: the pods they make would be the
   * Service's. ReplicaSets a Deployment of the input controls are left out (the Deployment
   * speaks for them) unless `withControlled`.
   */
  matching(selector: Labels, withControlled = false): Workload[] {
    return this.all.filter(
      (w) => matchesSelector(w.templateLabels, selector) && (withControlled || !this.speaksFor(w)),
    );
  }

  /** The ReplicaSets of a Deployment in the input. */
  replicaSetsOf(deployment: Workload): ReplicaSet[] {
    return this.all.filter((w): w is ReplicaSet => w.kind === 'ReplicaSet' && isControlledBy(w, deployment));
  }

  /**
   * Templates that miss the selector by one label, as model/cluster.ts's nearMisses does for
   * pods: all labels but one for a longer selector; for a one-label selector, the key with an
   * alike value or the wanted value under another key.
   */
  nearMisses(selector: Labels): TemplateMiss[] {
    const entries = Object.entries(selector);
    const misses: TemplateMiss[] = [];
    for (const workload of this.all) {
      if (this.speaksFor(workload)) continue;
      const labels = workload.templateLabels;
      if (entries.length === 1) {
        const [key, want] = entries[0];
        const have = labelValue(labels, key);
        if (have !== undefined && have !== want && plausiblyMeant(want, have)) {
          misses.push({ workload, key, want, have });
          continue;
        }
        const otherKey = Object.keys(labels).find((k) => k !== key && labels[k] === want);
        if (otherKey !== undefined && namesSomething(want)) misses.push({ workload, key, want, have, otherKey });
        continue;
      }
      const missed = entries.filter(([k, v]) => labelValue(labels, k) !== v);
      if (missed.length === 1) {
        const [key, want] = missed[0];
        misses.push({ workload, key, want, have: labelValue(labels, key) });
      }
    }
    return misses;
  }
}

/** A pod template that misses a selector by one label. */
export interface TemplateMiss {
  workload: Workload;
  key: string;
  want: string;
  /** The template's value for that key, undefined when it lacks the key. */
  have: string | undefined;
  /** One-label selectors: the template carries the wanted value under this key instead. */
  otherKey?: string;
}

/** Whether a label value names something (nginx-ingress) rather than a flag or a number (true, 1, v2), which many keys share. */
export function namesSomething(value: string): boolean {
  return value.length >= 3 && !/^(true|false|yes|no|on|off|enabled|disabled|v?\d+([.-]\d+)*)$/i.test(value);
}

/** Whether the workload's own spec.selector uses the key: apps/v1 then refuses a template whose label no longer matches it. */
export function selectorUses(w: Workload, key: string): boolean {
  return Object.hasOwn(w.selector.matchLabels, key) || w.selector.matchExpressions.some((e) => e.key === key);
}

/**
 * The chain of owners of a pod, nearest first (ReplicaSet web-7f9c, then Deployment web), as far
 * as the input holds them; an owner the input lacks ends the chain with its reference alone.
 */
export function ownerChain(pod: Pod, workloads: NamespaceWorkloads | undefined): (Workload | OwnerRef)[] {
  const chain: (Workload | OwnerRef)[] = [];
  let ref = pod.meta.owner;
  // An ownership cycle cannot be made through the API, but a snapshot is any text.
  while (ref && chain.length < 4) {
    const owner = workloads?.owner(ref);
    chain.push(owner ?? ref);
    ref = owner?.meta.owner;
  }
  return chain;
}

/**
 * Why a workload whose template a selector matches has no pods, as its own status says:
 * - `scaledToZero`: spec.replicas is 0 (Deployment, ReplicaSet, StatefulSet);
 * - `noNodeWanted`: a DaemonSet whose controller wants a pod on no node (desiredNumberScheduled 0);
 * - `pausedWithoutPods`: a paused Deployment with no available replica: while paused its
 *   controller makes no new ReplicaSet, so one created or changed paused never gets pods;
 * - `cannotCreate`: its controller tried and failed (createFailure says how).
 * undefined: nothing in the input explains it (the pods may be on their way).
 */
export type NoPodsCause =
  { cause: 'scaledToZero' | 'noNodeWanted' | 'pausedWithoutPods' } | { cause: 'cannotCreate'; failure: CreateFailure };

export function whyNoPods(w: Workload, workloads: NamespaceWorkloads): NoPodsCause | undefined {
  if (desiredPods(w) === 0) return { cause: w.kind === 'DaemonSet' ? 'noNodeWanted' : 'scaledToZero' };
  const failure = createFailure(w, workloads);
  if (failure) return { cause: 'cannotCreate', failure };
  if (w.kind === 'Deployment' && w.paused && w.status.availableReplicas === 0) return { cause: 'pausedWithoutPods' };
  return undefined;
}

/** What says a controller could not create a workload's pods: the object it is about, and the controller's words. */
export interface CreateFailure {
  /** The Deployment, or the ReplicaSet that failed (a Deployment's, or one alone). */
  on: Workload;
  /** "ReplicaFailure condition": where the evidence comes from. */
  source: string;
  reason?: string;
  message?: string;
}

/**
 * The first evidence that the workload's controller cannot create its pods: the ReplicaFailure
 * condition, which the ReplicaSet controller sets when a pod create call fails (quota, admission
 * webhook, pod security, missing ServiceAccount) and the deployment controller copies into its
 * Deployment; else a FailedCreate Warning event about the workload (or, for a Deployment, its
 * ReplicaSets), the only way StatefulSets and DaemonSets report it.
 */
function createFailure(w: Workload, workloads: NamespaceWorkloads): CreateFailure | undefined {
  return replicaFailureCondition(w, workloads) ?? failedCreateEvent(w, workloads);
}

function failedCreateEvent(w: Workload, workloads: NamespaceWorkloads): CreateFailure | undefined {
  const candidates: Workload[] = w.kind === 'Deployment' ? [w, ...workloads.replicaSetsOf(w)] : [w];
  for (const on of candidates) {
    if (on !== w && on.kind === 'ReplicaSet' && on.replicas === 0) continue;
    const event = workloads.failedCreate(on);
    if (event) return { on, source: 'Warning event', reason: event.reason, message: event.message };
  }
  return undefined;
}

function replicaFailureCondition(w: Workload, workloads: NamespaceWorkloads): CreateFailure | undefined {
  // The Deployment's own copy first, then its ReplicaSets' (the copy lags a sync behind).
  const candidates: Workload[] = w.kind === 'Deployment' ? [w, ...workloads.replicaSetsOf(w)] : [w];
  for (const on of candidates) {
    if (on.kind !== 'Deployment' && on.kind !== 'ReplicaSet') continue;
    // A ReplicaSet its Deployment scaled down is asked for no pods: an old failure of it is history.
    if (on !== w && on.replicas === 0) continue;
    const failure = on.conditions.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
    if (failure) return { on, source: 'ReplicaFailure condition', reason: failure.reason, message: failure.message };
  }
  return undefined;
}
