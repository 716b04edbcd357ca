// What a check finds, and the verdict on a Service: the types every layer after the model shares.

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITIES: Severity[] = ['error', 'warning', 'info'];

/**
 * Warning events about one object, deduplicated by reason and message, the most recent first:
 * what `kubectl describe` would have shown the reader. Event text is the cluster's, untrusted.
 */
export interface Evidence {
  reason: string;
  message: string;
  /** How many times it happened, over every event of that reason and message. */
  count: number;
  /** When it last happened (RFC 3339); absent when the events do not say. */
  lastSeen?: string;
  /** On a finding's own evidence, the object the event is about: "Service web", "EndpointSlice web-x7k2p". */
  object?: string;
}

export interface FindingPod {
  name: string;
  /** Set when the pod is in another namespace than the Service. */
  namespace?: string;
  cause: string;
  /**
   * The pod's recent Warning events; [] when Events were read and it has none (they expire, an
   * hour after the last by default). Absent when Events were not read, or cannot be attributed
   * to this pod (no pod of that name and uid in the input).
   */
  evidence?: Evidence[];
}

/**
 * The object a finding is about when that is not the Service it names: the Ingress whose backend
 * names a Service that does not exist, or a port the Service lacks. Absent for a Service's own findings.
 */
interface FindingSubject {
  kind: string;
  /** Absent for a cluster-scoped kind. */
  namespace?: string;
  name: string;
}

/** An object that refers to a Service, where, and with which port, as the report lists it (`usedBy`). */
export interface ServiceUser {
  kind: string;
  /** Absent for a cluster-scoped kind. */
  namespace?: string;
  name: string;
  /** Where in the object: "rule shop.example.com path /api", "default backend". */
  detail: string;
  /** The Service port as the object names it (a name, or a number as text); absent when it names none. */
  port?: string;
}

/** "Ingress shop/web rule shop.example.com path /api (port http)": how the renderers name a user of a Service. */
export function describeServiceUser(u: ServiceUser): string {
  const port = u.port !== undefined ? ` (port ${u.port})` : '';
  return `${u.kind} ${u.namespace ? `${u.namespace}/` : ''}${u.name} ${u.detail}${port}`;
}

export interface Finding {
  check: string;
  severity: Severity;
  /**
   * Which of the check's messages this is (its message id, e.g. allPodsUnready): one id per kind
   * of finding and per severity a check grades it to, so a program can tell variants apart
   * without reading the message.
   */
  reason: string;
  /** The Service's namespace; for a finding with a subject, the namespace of the Service its reference names. */
  namespace: string;
  /** The Service; for a finding with a subject, the Service its reference names, which may not exist. */
  service: string;
  /** Set when the finding is about another object than the Service (an Ingress): that object. */
  subject?: FindingSubject;
  /** The Service port it applies to, e.g. "http 80/TCP". */
  port?: string;
  /** The node whose dataplane the finding is about (probe findings only). */
  node?: string;
  message: string;
  pods?: FindingPod[];
  /** Warning events on the Service, its EndpointSlices or its Endpoints that the finding explains (Check.explainsEvents). */
  evidence?: Evidence[];
  fix?: string;
  /** The objects that use the Service through the port it applies to (all of them for a finding without a port). */
  usedBy?: ServiceUser[];
}

/**
 * The worst severity among a Service's findings, or ok; `unknown` when a check that applies to it
 * could not run and could have found something more severe than its findings (an error, for a
 * Service with none): its verdict would be a guess.
 */
export type ServiceStatus = 'ok' | Severity | 'unknown';

/**
 * What the renderers say of a check beside its findings. They receive these as data with the
 * report (as ESLint's formatters receive rulesMeta) rather than reading the check registry.
 */
export interface CheckDescription {
  id: string;
  severity: Severity;
  title: string;
  /** Why it matters: the Kubernetes behaviour behind the check. */
  explanation: string;
  /** How to fix it, in general terms; findings carry a specific fix where one fits. */
  fix: string;
}

/** Check descriptions by id. */
export type CheckDescriptions = ReadonlyMap<string, CheckDescription>;

export function describeChecks(checks: readonly CheckDescription[]): CheckDescriptions {
  return new Map(
    checks.map(({ id, severity, title, explanation, fix }) => [id, { id, severity, title, explanation, fix }]),
  );
}
