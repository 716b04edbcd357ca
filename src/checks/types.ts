// The contract of a check module: stable id, default severity, texts, the message of each kind
// of finding it makes, the Services it judges, and a pure function from one Service's view (plus
// the model for cross-object lookups) to findings.

import type { CheckDescription, Evidence, FindingPod, Severity } from '../core/findings.js';
import type { ClusterModel } from '../model/cluster.js';
import type { ServiceView } from '../model/service-view.js';
import type { NodeProbe } from '../model/node-comparison.js';
import type { LookupAnswer, PortConnectivity } from '../model/connect-targets.js';
import type { InputCoverage } from '../core/coverage.js';
import type { TemplateData } from '../core/template.js';
import type { ServiceAddress, ServiceBackends } from '../model/services.js';
import type { ReferrerKind, ServiceReference } from '../model/references.js';
import type { Service } from '../core/objects.js';
import type { ServiceReachability } from '../model/reachability.js';

/**
 * Message templates by id (core/template.ts). `{{name}}` stands for the finding's data of that
 * name: names, counts and lists, already worded; a placeholder named by a singular word (`{{is}}`,
 * `{{matches}}`) takes the form that agrees with a count. Ids are camelCase.
 */
type Messages = Readonly<Record<string, string>>;

/** The values a finding's templates take their placeholders from. */
export type MessageData = TemplateData;

/** What a check says, as data: what `explain` prints and docs/report.md lists. */
export interface CheckMessages {
  /**
   * One template per kind of finding, by reason (the message id a finding names). A different
   * sentence, or a different severity, is a different reason.
   */
  messages: Messages;
  /**
   * Clauses a finding may add after its reason's template, in the order it lists them: details
   * (what else the input shows, a caveat) that do not change what was found. Each is appended
   * as written, its separator ("; " or " (") included, and filled from the same data.
   */
  notes?: Messages;
  /**
   * The reasons whose severity is not the check's (usually graded down: a fallback, a lag, a
   * load balancer that routes around the gap), with theirs; every other reason has the check's.
   * A finding's severity is its reason's.
   */
  severities?: Readonly<Record<string, Severity>>;
}

/** What a check returns; the runner adds check id, Service, severity and message. */
export interface FindingDraft {
  /** A key of the check's messages. */
  reason: string;
  /** The values of its template's placeholders, and of its notes'. */
  data?: MessageData;
  /** Keys of the check's notes, in the order they are appended. */
  notes?: readonly string[];
  /** The Service port it applies to, e.g. "http 80/TCP". */
  port?: string;
  pods?: FindingPod[];
  /** Events the finding is about itself (the runner adds those of the check's explainsEvents otherwise). */
  evidence?: Evidence[];
  fix?: string;
}

/**
 * The Services a check judges, by their kinds (model/services.ts defines them; every Service is
 * of exactly one kind of backends, and all but ExternalName of exactly one kind of address).
 * The runner runs the check only on those, and counts only those as left unjudged when it is
 * skipped.
 */
export interface ServiceScope {
  backends: readonly ServiceBackends[];
  /** Absent: whatever the address. Not asked of ExternalName Services, which have none. */
  addresses?: readonly ServiceAddress[];
}

export interface Check extends CheckDescription, CheckMessages {
  appliesToServices: ServiceScope;
  /**
   * Inputs without which the check cannot judge; it is skipped, with a note, when they are missing.
   * Its `severity` is the most severe it reports (findings may be graded down, never up).
   */
  requires?: (keyof InputCoverage)[];
  /**
   * Whether the check could find something on this Service of its scope, judged from what the
   * input does hold; asked only when the check is skipped. A skipped check that applies leaves
   * the Service's verdict open (status `unknown`, unless its findings are already as severe).
   * Absent: it applies to every Service of its scope.
   */
  appliesTo?(view: ServiceView, model: ClusterModel): boolean;
  /**
   * Inputs without which the check still runs and what it finds holds, but finding nothing proves
   * nothing (no-ready-endpoints without EndpointSlices judges the pods, a guess of what kube-proxy
   * has): a Service it applies to and finds nothing on is then left unjudged, as by a skipped check.
   */
  clearsOnlyWith?: (keyof InputCoverage)[];
  /**
   * Reasons of Warning events on the Service, its EndpointSlices or its Endpoints that the
   * check's findings explain (SyncLoadBalancerFailed for a pending load balancer): its findings
   * carry them as evidence, and service-warning-events leaves them to it.
   */
  explainsEvents?: readonly string[];
  /**
   * The reasons whose findings say the Service has no ready endpoint (at all, or on the port they
   * name). When a Fail webhook or an APIService calls the Service through that port they are
   * errors whatever their severity: kube-apiserver's calls fail (report/run-checks.ts, one place;
   * docs/kubernetes-semantics.md#admission-webhooks).
   */
  noReadyEndpointReasons?: readonly string[];
  /** Run after every other check on each Service, to judge what their findings leave unexplained (OtherFindings). */
  runsAfterOthers?: true;
  /** Asked only for Services of its scope (appliesToServices). Absent for a check of references only. */
  run?(view: ServiceView, model: ClusterModel, others: OtherFindings): FindingDraft[];
  /**
   * A check of the references other objects hold to Services (model/references.ts) rather than
   * of the Services: its findings are about the referrer (their `subject`) and name the Service
   * the reference names, which may not exist. Such a check judges no Service
   * (`appliesToServices: { backends: [] }`).
   */
  references?: ReferenceScope;
}

/** What the other checks found on a Service, for a check that runs after them. */
export interface OtherFindings {
  /** The event reasons their findings explain (their checks' explainsEvents), suppressed findings' too. */
  explainedEvents: ReadonlySet<string>;
}

interface ReferenceScope {
  /** The referrer kinds whose references it judges. */
  kinds: readonly ReferrerKind[];
  /** `service`: the Service the reference names, undefined when the input holds none of that name. */
  run(reference: ServiceReference, service: Service | undefined, model: ClusterModel): FindingDraft[];
}

/**
 * A probe check: compares what one node's service proxy programmed with what the
 * EndpointSlices say it should (kubectl endpoints-doctor probe). Its findings name their
 * Service themselves, since rules can outlive the Service they were made for.
 */
export interface DataplaneCheck extends CheckDescription, CheckMessages {
  run(probe: NodeProbe, model: ClusterModel): DataplaneFindingDraft[];
}

export interface DataplaneFindingDraft extends FindingDraft {
  namespace: string;
  service: string;
}

/**
 * A connect check: judges what a vantage point answered when --connect contacted a Service port's
 * endpoints and addresses, or looked up the Service's name. Only a run with --connect runs it;
 * without the answers it is not run, and says nothing of a Service (connect is opt-in: its absence
 * leaves no Service unknown).
 */
export type ConnectCheck = PortConnectCheck | LookupConnectCheck;

interface ConnectCheckBase extends CheckDescription, CheckMessages {
  /** Marks the check as one of recorded answers (what the registry and the docs sort by). */
  input: 'connect';
}

/** A check of the connections, once per Service port. */
export interface PortConnectCheck extends ConnectCheckBase {
  /** The finding's port is the port judged; the runner sets it. */
  run(port: PortConnectivity, model: ClusterModel): FindingDraft[];
}

/** A check of the lookup of the Service's name, once per Service: its findings name no port. */
export interface LookupConnectCheck extends ConnectCheckBase {
  runLookup(lookup: LookupAnswer, model: ClusterModel): FindingDraft[];
}

/**
 * A --from check: judges a Service as one client sees it (model/reachability.ts). Only a run with
 * --from runs it; without a client it says nothing of a Service (--from is opt-in: its absence
 * leaves no Service unknown).
 */
export interface FromCheck extends CheckDescription, CheckMessages {
  /** Marks the check as one of a client's view (what the registry and the docs sort by). */
  input: 'from';
  run(reachability: ServiceReachability, service: Service, model: ClusterModel): FindingDraft[];
}
