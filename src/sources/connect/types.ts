// What the active check (--connect) asks a vantage point to try, and what it answers: plain data,
// so that the checks judge recorded answers and a vantage point other than this machine (a debug
// container, a node) can produce the same answers.

/** What the port says it speaks, from its name or appProtocol: decides what is tried after the TCP connect. */
export type PortSpeaks = 'tcp' | 'http' | 'https' | 'udp';

/** One address and port to try. */
export interface Attempt {
  address: string;
  port: number;
  speaks: PortSpeaks;
  /** The names a TLS certificate must cover (the Service's DNS names); the first is sent as SNI. */
  serverNames: string[];
}

/**
 * How a TCP connect ended: open (the handshake completed), refused (RST: nothing listens), timeout
 * (no answer within the per-attempt timeout: dropped on the way), reset (closed by the peer as soon
 * as it opened), unreachable (no route, or an ICMP unreachable); skipped: not tried (UDP, or the
 * run's deadline passed); error: any other failure, said in detail.
 */
export type ConnectResult = 'open' | 'refused' | 'timeout' | 'reset' | 'unreachable' | 'skipped' | 'error';

/** What a TLS handshake to the target showed. */
export interface TlsAnswer {
  /** tls: a TLS server completed the handshake; plain: the server answered with something other than TLS; unknown: neither could be told. */
  spoke: 'tls' | 'plain' | 'unknown';
  /** The DNS names of the certificate's subjectAltName (its common name when it has none). */
  certificateNames?: string[];
  /** Which of the attempt's serverNames the certificate covers. */
  covers?: string[];
  /** Why the handshake did not complete. */
  error?: string;
}

export interface ConnectAnswer {
  result: ConnectResult;
  /** Time to the TCP connect's end, in milliseconds (whole: a measure, not a benchmark). */
  latencyMs?: number;
  /** Free text: the error behind an error result, why an attempt was skipped. */
  detail?: string;
  /** For an open http or https port: whether the port speaks TLS. */
  tls?: TlsAnswer;
  /** With --connect-http PATH on an open http or https port: the response's status line, or why there was none. */
  http?: { statusLine?: string; error?: string };
  /**
   * When the vantage point is the endpoint's own pod and could read it: the local addresses of
   * the pod's listening TCP sockets ("127.0.0.1:3000", "[::]:8080").
   */
  listening?: string[];
}

/** A DNS lookup of a Service's own name (NAME.NAMESPACE.svc.DOMAIN), over UDP, for A and AAAA records. */
export interface DnsQuery {
  name: string;
}

/**
 * What a lookup answered: answered (with the addresses, none for a name without records of
 * either type), nxdomain (the name does not exist), timeout (no answer), error (another failure,
 * SERVFAIL or REFUSED among them, said in detail); skipped: not asked (no tool for it, or the
 * run's deadline passed), said in detail.
 */
export interface DnsAnswer {
  result: 'answered' | 'nxdomain' | 'timeout' | 'error' | 'skipped';
  /** Who was asked: a server's address, "system" (this machine's resolver), "resolv.conf" (the pod's). */
  server: string;
  addresses?: string[];
  detail?: string;
}

/**
 * Where connections are made from: this machine, one attempt at a time, or a debug container,
 * every attempt in one run of a program there (`attemptAll`: the answers in the attempts' order,
 * undefined for those the deadline left untried).
 */
export type Vantage =
  | {
      /** How reports name it: "local", "pod/shop/client". */
      name: string;
      attempt(attempt: Attempt, options: AttemptOptions): Promise<ConnectAnswer>;
    }
  | {
      name: string;
      attemptAll(
        attempts: Attempt[],
        options: AttemptOptions & { deadline: number },
      ): Promise<(ConnectAnswer | undefined)[]>;
    };

/** A vantage point that can also look names up: this machine, a pod. */
export interface DnsVantage {
  /** The answers in the queries' order; `server`: the cluster DNS address to ask, when known (this machine only). */
  lookup(queries: DnsQuery[], options: { timeoutMs: number; server?: string; deadline: number }): Promise<DnsAnswer[]>;
}

export interface AttemptOptions {
  /** Per connection (TCP connect, TLS handshake, HTTP request each). */
  timeoutMs: number;
  /** --connect-http PATH: GET this path on open http and https ports. */
  httpPath?: string;
}
