// Runs checks over the model: one view per Service shared by all checks, the Service's
// ignore annotation honoured, checks whose inputs are missing skipped (and said so, in general
// and for each Service they would have judged).

import type { Check, CheckMessages, FindingDraft, OtherFindings, ServiceScope } from '../checks/types.js';
import type { ClusterModel } from '../model/cluster.js';
import { serviceEvents, serviceEvidence, summarizeEvents, type ServiceEvent } from '../model/events.js';
import { viewService, type EndpointCounts, type ServiceView } from '../model/service-view.js';
import { addressOf, backendsOf, type ServiceAddress, type ServiceBackends } from '../model/services.js';
import type { Service } from '../core/objects.js';
import type { InputCoverage } from '../core/coverage.js';
import type { CheckDescription, Finding, FindingPod, ServiceUser, Severity } from '../core/findings.js';
import { describeServicePort } from '../model/ports.js';
import {
  breaksTheApiWhenDown,
  describeReferencePort,
  referencedPort,
  type ServiceReference,
} from '../model/references.js';
import { findingText } from './messages.js';

export const IGNORE_ANNOTATION = 'endpoints-doctor/ignore';

/** A check not run because the input lacks what it needs. */
export interface SkippedCheck {
  check: string;
  /** The check's severity: the most severe finding it could have made. */
  severity: Severity;
  missing: (keyof InputCoverage)[];
  /** It ran (its findings stand) but could not clear a Service: see Check.clearsOnlyWith. */
  partly?: true;
}

/** A Service the checks ran on, with what the report says of its endpoints. */
interface CheckedService {
  service: Service;
  counts: EndpointCounts;
  /** Skipped checks that apply to this Service (and that its ignore annotation does not silence). */
  skippedChecks: readonly SkippedCheck[];
  /** The objects of the input that refer to it, in the model's order; absent when none does. */
  usedBy?: readonly ServiceUser[];
}

/**
 * Which references a run judges besides those naming the Services it diagnoses: those naming a
 * Service the input does not hold in `namespace` (any when undefined), whatever the referrer's own
 * namespace (a webhook's Service may be anywhere). Only a run that read every Service of that
 * namespace may say one does not exist: not one naming Services or selecting them by label (--for
 * reads each Service its object names by name, so that one it lacks does not exist).
 */
export interface DanglingReferences {
  namespace?: string;
  /** --for: only this object's references (namespace absent for a cluster-scoped kind). */
  referrer?: { kind: string; namespace?: string; name: string };
}

export interface CheckRun {
  /** In the order given; the views themselves are not kept (the tree rebuilds those it draws). */
  services: CheckedService[];
  findings: Finding[];
  /** Findings dropped by a Service's ignore annotation, per Service "ns/name". */
  suppressed: Map<string, number>;
  /** Checks not run because the input lacks what they need. */
  skipped: SkippedCheck[];
}

function missingInputs(check: Check, model: ClusterModel): (keyof InputCoverage)[] {
  return (check.requires ?? []).filter((input) => !model.coverage[input]);
}

function missingToClear(check: Check, model: ClusterModel): (keyof InputCoverage)[] {
  return (check.clearsOnlyWith ?? []).filter((input) => !model.coverage[input]);
}

/** A Service's kinds, as check scopes name them. */
interface ServiceKinds {
  backends: ServiceBackends;
  address: ServiceAddress | undefined;
}

function kindsOf(service: Service): ServiceKinds {
  return { backends: backendsOf(service), address: addressOf(service) };
}

function inScope(scope: ServiceScope, kinds: ServiceKinds): boolean {
  if (!scope.backends.includes(kinds.backends)) return false;
  return !scope.addresses || kinds.address === undefined || scope.addresses.includes(kinds.address);
}

/**
 * Whether the check judges this Service at all (Check.appliesToServices).
 * @public bench/analysis.ts times the checks through the built dist/, which knip does not follow.
 */
export function judgesService(check: Check, service: Service): boolean {
  return inScope(check.appliesToServices, kindsOf(service));
}

/** A finding from a check's draft: the message built from the check's templates. */
export function completeFinding(
  check: CheckDescription & CheckMessages,
  { reason, data, notes, port, pods, evidence, fix }: FindingDraft,
  where: { namespace: string; service: string; node?: string; subject?: Finding['subject'] },
): Finding {
  const text = findingText(check, { reason, data, notes });
  return {
    check: check.id,
    severity: text.severity,
    reason: text.reason,
    namespace: where.namespace,
    service: where.service,
    ...(where.subject !== undefined ? { subject: where.subject } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(where.node !== undefined ? { node: where.node } : {}),
    message: text.message,
    ...(pods !== undefined ? { pods } : {}),
    ...(evidence !== undefined ? { evidence } : {}),
    ...(fix !== undefined ? { fix } : {}),
  };
}

const NO_FINDINGS: readonly Finding[] = Object.freeze([]);
const NO_DRAFTS: FindingDraft[] = [];

/** A reference check's findings on one reference: about the referrer, on the Service the reference names. */
function completeReference(
  check: Check,
  reference: ServiceReference,
  service: Service | undefined,
  model: ClusterModel,
): readonly Finding[] {
  if (!check.references?.kinds.includes(reference.referrer.kind)) return NO_FINDINGS;
  const drafts = check.references.run(reference, service, model);
  if (drafts.length === 0) return NO_FINDINGS;
  const { kind, namespace, name } = reference.referrer;
  const where = {
    namespace: reference.target.namespace,
    service: reference.target.name,
    subject: { kind, ...(namespace !== undefined ? { namespace } : {}), name },
  };
  return drafts.map((draft) => completeFinding(check, draft, where));
}

/**
 * One check on every reference of the model, as a run that read every Service judges them: on
 * those naming a Service the input holds, and those naming one it does not. What the check tables test.
 */
export function checkReferences(check: Check, model: ClusterModel): readonly Finding[] {
  if (missingInputs(check, model).length > 0) return NO_FINDINGS;
  return model.references.flatMap((reference) =>
    completeReference(check, reference, model.service(reference.target.namespace, reference.target.name), model),
  );
}

/** How the report lists a reference. */
function serviceUser(reference: ServiceReference): ServiceUser {
  const { kind, namespace, name } = reference.referrer;
  const port = describeReferencePort(reference);
  return {
    kind,
    ...(namespace !== undefined ? { namespace } : {}),
    name,
    detail: reference.detail,
    ...(port !== undefined ? { port } : {}),
  };
}

/**
 * The finding with the references that reach it: those whose port is the finding's (every one for
 * a finding about no port, or whose port the Service lacks); none that names the Service only for
 * its name (a StatefulSet's serviceName: the Service's own usedBy lists it). A finding that says
 * the Service has no ready endpoint is an error when one of them is a Fail webhook's or an
 * APIService's, whatever its reason's severity: kube-apiserver's calls to the Service fail, and with them the writes the
 * webhook intercepts or the whole aggregated API (docs/kubernetes-semantics.md#admission-webhooks,
 * docs/kubernetes-semantics.md#aggregated-apis).
 */
function withUsers(check: Check, finding: Finding, service: Service, references: readonly ServiceReference[]): Finding {
  const users = references.filter((reference) => {
    if (reference.nameOnly) return false;
    if (finding.port === undefined) return true;
    const port = referencedPort(reference, service.ports);
    return port !== undefined && describeServicePort(port) === finding.port;
  });
  if (users.length === 0) return finding;
  const outage =
    finding.severity !== 'error' &&
    check.noReadyEndpointReasons?.includes(finding.reason) === true &&
    users.some(breaksTheApiWhenDown);
  return { ...finding, ...(outage ? { severity: 'error' } : {}), usedBy: users.map(serviceUser) };
}

/**
 * The objects of the model that refer to a Service, as the report lists a Service's usedBy: for
 * a Service the input lacks, which has no entry to list them (-i's row for it).
 */
export function usersOf(model: ClusterModel, namespace: string, name: string): ServiceUser[] {
  return model.referencesTo(namespace, name).map(serviceUser);
}

const NOTHING_EXPLAINED: OtherFindings = { explainedEvents: new Set() };

/** A Service's Warning events (its own, its slices', its Endpoints'), looked up once, when a finding asks. */
class ServiceEventsOnce {
  private found: ServiceEvent[] | undefined | null = null;

  constructor(
    private readonly model: ClusterModel,
    private readonly service: Service,
  ) {}

  get(): ServiceEvent[] | undefined {
    if (this.found === null) this.found = serviceEvents(this.model, this.service);
    return this.found;
  }
}

function complete(
  check: Check,
  service: Service,
  view: ServiceView,
  model: ClusterModel,
  others: OtherFindings,
  events: ServiceEventsOnce,
): readonly Finding[] {
  const drafts = check.run?.(view, model, others) ?? NO_DRAFTS;
  // Most checks find nothing on most Services.
  if (drafts.length === 0) return NO_FINDINGS;
  const where = { namespace: service.meta.namespace, service: service.meta.name };
  return drafts.map((draft) => withEvidence(completeFinding(check, draft, where), check, model, events));
}

/**
 * The finding with its evidence: each pod's Warning events, and the Service's events of the
 * reasons its check explains. Attributed through the model (kind, namespace, name and uid).
 */
function withEvidence(finding: Finding, check: Check, model: ClusterModel, events: ServiceEventsOnce): Finding {
  if (!model.coverage.events) return finding;
  if (finding.pods) finding.pods = finding.pods.map((pod) => withPodEvidence(pod, finding.namespace, model));
  if (check.explainsEvents && !finding.evidence) {
    const reasons = new Set(check.explainsEvents);
    const explained = events.get()?.filter(({ event }) => reasons.has(event.reason));
    if (explained && explained.length > 0) {
      // Before the fix, as the report's field order has it.
      const { fix, ...rest } = finding;
      return { ...rest, evidence: serviceEvidence(explained), ...(fix !== undefined ? { fix } : {}) };
    }
  }
  return finding;
}

function withPodEvidence(pod: FindingPod, namespace: string, model: ClusterModel): FindingPod {
  const found = model.pod(pod.namespace ?? namespace, pod.name);
  const events = found && model.warningEventsAbout('Pod', found.meta);
  return events ? { ...pod, evidence: summarizeEvents(events) } : pod;
}

/** One check on one Service, without suppression: what the check tables test (no other finding explains anything). */
export function checkService(check: Check, model: ClusterModel, service: Service): readonly Finding[] {
  if (missingInputs(check, model).length > 0 || !judgesService(check, service)) return NO_FINDINGS;
  return complete(
    check,
    service,
    viewService(model, service),
    model,
    NOTHING_EXPLAINED,
    new ServiceEventsOnce(model, service),
  );
}

const NONE_IGNORED: ReadonlySet<string> = new Set();

export function ignoredChecks(service: Service): ReadonlySet<string> {
  const value = service.meta.annotations[IGNORE_ANNOTATION];
  if (value === undefined) return NONE_IGNORED;
  return new Set(
    value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

const NONE_SKIPPED: readonly SkippedCheck[] = Object.freeze([]);

function isReferrer({ referrer }: ServiceReference, only: NonNullable<DanglingReferences['referrer']>): boolean {
  return referrer.kind === only.kind && referrer.namespace === only.namespace && referrer.name === only.name;
}

/** `dangling`: judge the references naming Services the input lacks too (DanglingReferences). */
export function runChecks(
  model: ClusterModel,
  services: Service[],
  checks: Check[],
  dangling?: DanglingReferences,
): CheckRun {
  // Those that judge the others' findings run last, wherever they are listed.
  const runnable = checks
    .filter((c) => missingInputs(c, model).length === 0)
    .sort((a, b) => Number(a.runsAfterOthers === true) - Number(b.runsAfterOthers === true));
  // In check order: those that cannot run, and those that run but cannot clear a Service.
  const leftOut = new Map<Check, SkippedCheck>();
  for (const check of checks) {
    // A check of references that no reference of the input concerns leaves nothing unjudged.
    if (check.references && !model.references.some((r) => check.references!.kinds.includes(r.referrer.kind))) continue;
    const missing = missingInputs(check, model);
    const toClear = missingToClear(check, model);
    if (missing.length > 0) leftOut.set(check, { check: check.id, severity: check.severity, missing });
    else if (toClear.length > 0)
      leftOut.set(check, { check: check.id, severity: check.severity, missing: toClear, partly: true });
  }
  const run: CheckRun = {
    services: [],
    findings: [],
    suppressed: new Map(),
    skipped: [...leftOut.values()],
  };
  const referenceChecks = runnable.filter((c) => c.references !== undefined);
  for (const service of services) {
    const view = viewService(model, service);
    const kinds = kindsOf(service);
    const ignored = ignoredChecks(service);
    const references = model.referencesTo(service.meta.namespace, service.meta.name);
    const foundSomething = new Set<Check>();
    const events = new ServiceEventsOnce(model, service);
    const explainedEvents = new Set<string>();
    const others: OtherFindings = { explainedEvents };
    for (const check of runnable) {
      if (!inScope(check.appliesToServices, kinds)) continue;
      const found = complete(check, service, view, model, others, events);
      if (found.length > 0) {
        foundSomething.add(check);
        for (const reason of check.explainsEvents ?? []) explainedEvents.add(reason);
      }
      if (ignored.has(check.id)) {
        if (found.length > 0) {
          const key = `${service.meta.namespace}/${service.meta.name}`;
          run.suppressed.set(key, (run.suppressed.get(key) ?? 0) + found.length);
        }
        continue;
      }
      for (const finding of found)
        run.findings.push(references.length > 0 ? withUsers(check, finding, service, references) : finding);
    }
    // The references naming it: their findings are about the referrers (no Service annotation
    // silences them); with --for, only that object's (the others still use the Service: usedBy).
    for (const reference of references) {
      if (dangling?.referrer && !isReferrer(reference, dangling.referrer)) continue;
      for (const check of referenceChecks) {
        for (const finding of completeReference(check, reference, service, model)) run.findings.push(finding);
      }
    }
    const notJudged: SkippedCheck[] = [];
    for (const [check, skipped] of leftOut) {
      if (foundSomething.has(check) || ignored.has(check.id) || !inScope(check.appliesToServices, kinds)) continue;
      if (!(check.appliesTo?.(view, model) ?? true)) continue;
      notJudged.push(skipped);
    }
    run.services.push({
      service,
      counts: view.counts,
      skippedChecks: notJudged.length > 0 ? notJudged : NONE_SKIPPED,
      ...(references.length > 0 ? { usedBy: references.map(serviceUser) } : {}),
    });
  }
  if (dangling && referenceChecks.length > 0) {
    for (const reference of model.references) {
      const { target } = reference;
      if (dangling.namespace !== undefined && target.namespace !== dangling.namespace) continue;
      if (dangling.referrer && !isReferrer(reference, dangling.referrer)) continue;
      if (model.service(target.namespace, target.name)) continue;
      for (const check of referenceChecks) {
        for (const finding of completeReference(check, reference, undefined, model)) run.findings.push(finding);
      }
    }
  }
  return run;
}
