// Faults a test switches on to see how a client copes: refusals, throttling, server errors,
// slow or dropped or hung responses, and resources the server does not serve at all.

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';

/** Which requests a fault applies to; unset fields match anything. */
export interface FaultMatch {
  /** Plural resource, "pods/exec" for exec, or "endpointslices.discovery.k8s.io". Unset also matches discovery requests. */
  resource?: string;
  verb?: Verb;
  namespace?: string;
  /** How many matching requests the fault hits before it stops; unset: all of them. */
  times?: number;
}

export type FaultAction =
  | { kind: 'forbid' }
  | { kind: 'status'; code: number; reason: string; message: string; retryAfterSeconds?: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'drop'; afterBytes?: number }
  | { kind: 'hang' };

/** What a request is, as faults and the allow list see it. */
export interface RequestTarget {
  /** e.g. "pods", "pods/exec"; undefined for discovery and other non-resource paths. */
  resource?: string;
  group?: string;
  verb: Verb;
  namespace?: string;
}

interface Rule {
  match: FaultMatch;
  action: FaultAction;
  remaining: number;
}

const STATUS_REASONS: Record<number, string> = {
  500: 'InternalError',
  502: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export class Faults {
  private rules: Rule[] = [];
  private readonly unserved = new Set<string>();

  constructor(private readonly onExpireContinueTokens: () => void) {}

  /** 403 Forbidden with the RBAC message, e.g. forbid({ resource: 'pods', verb: 'list', namespace: 'shop' }). */
  forbid(match: FaultMatch): this {
    return this.add(match, { kind: 'forbid' });
  }

  /** 429 TooManyRequests with a Retry-After header (client-go clients wait and retry). */
  throttle(match: FaultMatch & { retryAfterSeconds?: number } = {}): this {
    const retryAfterSeconds = match.retryAfterSeconds ?? 1;
    return this.add(match, {
      kind: 'status',
      code: 429,
      reason: 'TooManyRequests',
      message: 'Too many requests, please try again later.',
      retryAfterSeconds,
    });
  }

  /** A server error (500 unless `status` says otherwise), e.g. fail({ resource: 'pods', times: 2 }). */
  fail(match: FaultMatch & { status?: number; message?: string } = {}): this {
    const code = match.status ?? 500;
    const detail = match.message ?? 'injected test fault';
    return this.add(match, {
      kind: 'status',
      code,
      reason: STATUS_REASONS[code] ?? 'InternalError',
      message: code === 500 ? `Internal error occurred: ${detail}` : detail,
    });
  }

  /** Waits `ms` before answering normally. */
  delay(match: FaultMatch & { ms: number }): this {
    return this.add(match, { kind: 'delay', ms: match.ms });
  }

  /** Sends the headers and the first `afterBytes` of the body (half of it by default), then destroys the socket. */
  dropConnection(match: FaultMatch & { afterBytes?: number } = {}): this {
    return this.add(match, { kind: 'drop', afterBytes: match.afterBytes });
  }

  /** Never answers; the socket stays open until the client gives up or the server closes. */
  hang(match: FaultMatch = {}): this {
    return this.add(match, { kind: 'hang' });
  }

  /** The resource is not served at all: 404 on its paths and absent from discovery, as on a cluster without it. */
  unserve(resource: string): this {
    this.unserved.add(resource);
    return this;
  }

  isServed(plural: string, group: string): boolean {
    return !this.unserved.has(plural) && !this.unserved.has(`${plural}.${group}`);
  }

  /** Every continue token handed out so far answers 410 Gone "Expired" from now on. */
  expireContinueTokens(): this {
    this.onExpireContinueTokens();
    return this;
  }

  /** Removes every fault, served resources included. */
  clear(): this {
    this.rules = [];
    this.unserved.clear();
    return this;
  }

  /**
   * The faults for one request, using up one hit of each: the summed delay of matching
   * `delay` faults, and the first other matching fault, if any.
   */
  take(target: RequestTarget): { delayMs: number; action?: Exclude<FaultAction, { kind: 'delay' }> } {
    let delayMs = 0;
    let action: Exclude<FaultAction, { kind: 'delay' }> | undefined;
    for (const rule of this.rules) {
      if (rule.remaining <= 0 || !matches(rule.match, target)) continue;
      if (rule.action.kind === 'delay') {
        delayMs += rule.action.ms;
        rule.remaining--;
      } else if (!action) {
        action = rule.action;
        rule.remaining--;
      }
    }
    return { delayMs, action };
  }

  private add(match: FaultMatch, action: FaultAction): this {
    this.rules.push({ match, action, remaining: match.times ?? Infinity });
    return this;
  }
}

function matches(m: FaultMatch, t: RequestTarget): boolean {
  if (m.resource !== undefined) {
    const qualified = t.group ? `${t.resource}.${t.group}` : t.resource;
    if (m.resource !== t.resource && m.resource !== qualified) return false;
  }
  if (m.verb !== undefined && m.verb !== t.verb) return false;
  if (m.namespace !== undefined && m.namespace !== t.namespace) return false;
  return true;
}
