// What a node's service proxy programmed, read back from its rules. Parsers (iptables-save, nft -j,
// /proc/net/ip_vs, ipvsadm-save) produce this; the probe compares it with the EndpointSlices.

export type ProxyMode = 'iptables' | 'nftables' | 'ipvs';
export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export type IPFamily = 'IPv4' | 'IPv6';
export type FrontendKind = 'cluster-ip' | 'external-ip' | 'load-balancer' | 'node-port';

/** The Service port a set of rules belongs to, when the rules name it (IPVS rules never do). */
export interface ServicePortRef {
  namespace: string;
  name: string;
  /** '' for a Service's single unnamed port. */
  portName: string;
}

/** An address the node answers for. Node ports carry no ip when every node address accepts them. */
export interface ProgrammedFrontend {
  kind: FrontendKind;
  ip?: string;
  port: number;
  protocol: Protocol;
  /**
   * The rules cannot tell an external IP from a load-balancer IP here (nftables always; iptables for refused
   * addresses, which no nat rule names): kind is then 'external-ip' and the address may be either.
   */
  kindAmbiguous?: boolean;
}

export interface ProgrammedEndpoint {
  ip: string;
  port: number;
  /**
   * Fraction of new connections this endpoint receives: iptables probabilities, nftables numgen slots and IPVS
   * weights resolved, rounded to 6 decimals (three endpoints get 0.333333 each).
   */
  share: number;
  /** IPVS: weight as programmed; 0 means the real server is being drained, not a mismatch. */
  weight?: number;
}

/** One Service port as one IP family of the node's dataplane handles it. */
export interface ProgrammedServicePort {
  /** Absent for IPVS virtual servers; the probe maps them to Services by frontend address. */
  service?: ServicePortRef;
  protocol: Protocol;
  family: IPFamily;
  frontends: ProgrammedFrontend[];
  /** Endpoints for traffic to the cluster IP (the internal traffic policy's chain). */
  endpoints: ProgrammedEndpoint[];
  /** Endpoints for node-port, external and load-balancer traffic when they differ (Local external policy). */
  externalEndpoints?: ProgrammedEndpoint[];
  /**
   * Frontends the node refuses, one entry per kind: REJECT when there are no endpoints, DROP for a Local policy
   * without local endpoints. Always empty for IPVS (it has no per-Service refusals).
   */
  verdicts: { frontend: FrontendKind; verdict: 'reject' | 'drop' }[];
  /** Cluster-IP traffic from outside the pod network (or all, with masqueradeAll) is marked for SNAT; false for IPVS. */
  masquerade: boolean;
  /** ClientIP session affinity timeout, when the rules pin clients to an endpoint. */
  affinityTimeoutSeconds?: number;
  /** IPVS from /proc/net/ip_vs: the persistence timeout in kernel ticks (CONFIG_HZ is unknown to the reader). */
  affinityTimeoutJiffies?: number;
  /** Which chain cluster-IP traffic dispatches to (iptables KUBE-SVC/SVL, nftables service-/local-); absent for IPVS. */
  internalPolicy?: 'Cluster' | 'Local';
  /** Which endpoints external traffic falls through to, when the Service has an external chain; absent for IPVS. */
  externalPolicy?: 'Cluster' | 'Local';
  /**
   * The rules involved, for --raw: iptables lines verbatim; nftables map elements as "map: key : verdict" and
   * rules as "chain: <expr JSON>"; IPVS lines as read.
   */
  rules: string[];
}

export interface NodeDataplane {
  mode: ProxyMode;
  /** iptables mode: which iptables backend held KUBE-SERVICES. */
  backend?: 'nft' | 'legacy';
  families: IPFamily[];
  servicePorts: ProgrammedServicePort[];
  /** Things the reader noticed: both backends hold rules, a family had no table, names were truncated... */
  notes: string[];
}
