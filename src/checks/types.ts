// The contract of a check module: stable id, default severity, texts, and a pure function
// from one Service's view (plus the model for cross-object lookups) to findings.

import type { CheckDescription, Finding, Severity } from '../core/findings.js';
import type { ClusterModel } from '../model/cluster.js';
import type { ServiceView } from '../model/service-view.js';
import type { NodeProbe } from '../model/node-comparison.js';
import type { InputCoverage } from '../core/coverage.js';

/** What a check returns; the runner adds check id, Service and (unless set) the default severity. */
export type FindingDraft = Omit<Finding, 'check' | 'severity' | 'namespace' | 'service'> & { severity?: Severity };

export interface Check extends CheckDescription {
  /**
   * Inputs without which the check cannot judge; it is skipped, with a note, when they are missing.
   * Its `severity` is the most severe it reports (findings may be graded down, never up).
   */
  requires?: (keyof InputCoverage)[];
  /**
   * Whether the check could find something on this Service, judged from what the input does hold;
   * asked only when the check is skipped. A skipped check that applies leaves the Service's
   * verdict open (status `unknown`, unless its findings are already as severe). Absent: it
   * applies to every Service.
   */
  appliesTo?(view: ServiceView, model: ClusterModel): boolean;
  /**
   * Inputs without which the check still runs and what it finds holds, but finding nothing proves
   * nothing (no-ready-endpoints without EndpointSlices judges the pods, a guess of what kube-proxy
   * has): a Service it applies to and finds nothing on is then left unjudged, as by a skipped check.
   */
  clearsOnlyWith?: (keyof InputCoverage)[];
  run(view: ServiceView, model: ClusterModel): FindingDraft[];
}

/**
 * A probe check: compares what one node's service proxy programmed with what the
 * EndpointSlices say it should (kubectl endpoints-doctor probe). Its findings name their
 * Service themselves, since rules can outlive the Service they were made for.
 */
export interface DataplaneCheck extends CheckDescription {
  run(probe: NodeProbe, model: ClusterModel): DataplaneFindingDraft[];
}

export type DataplaneFindingDraft = Omit<Finding, 'check' | 'severity' | 'node'> & { severity?: Severity };
