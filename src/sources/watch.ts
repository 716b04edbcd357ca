// The live cluster, kept up to date: each kind is listed, then watched from the list's
// resourceVersion; the slim objects are updated as events arrive and a (debounced) change is
// announced so the caller can rebuild the model. A 410 Gone (the version was compacted away)
// lists again; other failures back off and retry, and are reported while they last.

import { setMaxListeners } from 'node:events';
import type { InputCoverage } from '../core/coverage.js';
import { readPolicyEnvironment, type PolicyEnvironment } from './policy-environment.js';
import { stringAt, type JsonObject } from '../core/json-value.js';
import { collectionPath } from '../core/kinds.js';
import type { ClusterObject } from '../core/objects.js';
import { ApiStatusError, type WatchEvent } from './kube-api.js';
import {
  describeFailure,
  liveCoverage,
  missingInOrder,
  neededRefusals,
  refusalNote,
  type Connection,
  type LiveResult,
} from './live.js';
import { slimAs, SlimError, SOURCE_KINDS, type SourceKind } from './slim.js';

export interface WatchScope {
  /** undefined: all namespaces. Named Services are chosen from the namespace's by the caller. */
  namespace?: string;
  /** -l: filters Services on the server. */
  labelSelector?: string;
}

export interface WatchOptions {
  /** Called from a timer after changes settle (debounced): never before start() has resolved. */
  onChange: () => void;
  /** A watch failing and being retried (a line saying so), or undefined once all recovered. */
  onTrouble?: (problem: string | undefined) => void;
  debounceMs?: number;
  /** First and largest retry delay. */
  backoffMs?: { initial: number; max: number };
  /** How long each watch request lasts before it is renewed (the server's timeoutSeconds). */
  watchSeconds?: number;
  debug: (line: string) => void;
  /** The kinds to follow: the table's unless a test adds one. */
  kinds?: readonly SourceKind[];
}

export class ClusterWatch {
  private readonly objectsByKind = new Map<SourceKind, Map<string, ClusterObject>>();
  /** Optional kinds the server would not list (forbidden or not served): the same notes as fetchLive's. */
  readonly missing: LiveResult['missing'] = {};
  /** What discovery showed of the policies not evaluated when the watch started (not followed). */
  policyEnvironment: PolicyEnvironment = { otherPolicyKinds: [], notes: [] };
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private readonly troubles = new Map<SourceKind, string>();
  private readonly kinds: readonly SourceKind[];
  private debounce: NodeJS.Timeout | undefined;

  constructor(
    private readonly conn: Connection,
    private readonly scope: WatchScope,
    private readonly options: WatchOptions,
  ) {
    this.kinds = options.kinds ?? SOURCE_KINDS;
    // Each kind's loop listens on the one signal (its watch request, its backoff, a list after
    // 410): more than Node's default of 10 listeners, which would print a leak warning on stderr.
    setMaxListeners(this.kinds.length * 3, this.abort.signal);
  }

  /**
   * Lists every kind once; a failure here is final (the same errors as a one-shot run). Then
   * watches in the background until stop().
   */
  async start(): Promise<void> {
    const [listed, policyEnvironment] = await Promise.all([
      Promise.all(this.kinds.map(async (kind) => ({ kind, version: await this.initialList(kind) }))),
      readPolicyEnvironment(this.conn.api, this.scope.namespace),
    ]);
    this.policyEnvironment = policyEnvironment;
    const refused = new Map<SourceKind, string>();
    for (const { kind, version } of listed) {
      if (typeof version === 'string') this.loops.push(this.follow(kind, version));
      else refused.set(kind, version.refused);
    }
    Object.assign(this.missing, missingInOrder(this.kinds, neededRefusals(refused, this.objects())));
  }

  /** Every object known now. */
  objects(): ClusterObject[] {
    return [...this.objectsByKind.values()].flatMap((m) => [...m.values()]);
  }

  coverage(): InputCoverage {
    return liveCoverage(this.missing, this.kinds);
  }

  /** Ends every watch and pending timer; the process is left with nothing running. */
  async stop(): Promise<void> {
    this.abort.abort();
    clearTimeout(this.debounce);
    await Promise.all(this.loops);
  }

  private namespaceOf(kind: SourceKind): string | undefined {
    return kind.namespaced ? this.scope.namespace : undefined;
  }

  private query(kind: SourceKind): Record<string, string | undefined> {
    return {
      ...(kind.kind === 'Service' ? { labelSelector: this.scope.labelSelector } : {}),
      ...(kind.fieldSelector ? { fieldSelector: kind.fieldSelector } : {}),
    };
  }

  /** The version to watch from; for an optional kind the server refuses, the note saying so. */
  private async initialList(kind: SourceKind): Promise<string | { refused: string }> {
    try {
      return await this.list(kind);
    } catch (e) {
      const refused = refusalNote(kind, e);
      if (refused !== undefined) return { refused };
      throw describeFailure(e, this.conn.api.server, kind, 'list', this.namespaceOf(kind));
    }
  }

  /** Lists a kind, replacing what was known of it; returns the version to watch from. */
  private async list(kind: SourceKind): Promise<string> {
    const { items, resourceVersion } = await this.conn.api.listAt(
      collectionPath(kind, this.namespaceOf(kind)),
      this.query(kind),
      (raw) => raw,
    );
    const objects = new Map<string, ClusterObject>();
    for (const raw of items) {
      const slim = this.slim(kind, raw);
      if (slim) objects.set(keyOf(raw), slim);
    }
    this.objectsByKind.set(kind, objects);
    return resourceVersion;
  }

  private slim(kind: SourceKind, raw: JsonObject): ClusterObject | undefined {
    try {
      return slimAs(kind, raw);
    } catch (e) {
      if (!(e instanceof SlimError)) throw e;
      this.options.debug(`watch: skipped a ${kind.kind}: ${e.message}`);
      return undefined;
    }
  }

  /** Watches one kind until stopped: from `version`, re-listing after 410 Gone, backing off on failures. */
  private async follow(kind: SourceKind, version: string): Promise<void> {
    const { signal } = this.abort;
    const path = collectionPath(kind, this.namespaceOf(kind));
    const { initial, max } = this.options.backoffMs ?? { initial: 500, max: 30_000 };
    let resourceVersion: string | undefined = version;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (resourceVersion === undefined) {
          resourceVersion = await this.list(kind);
          this.changed();
        }
        await this.conn.api.watch(
          path,
          {
            ...this.query(kind),
            resourceVersion,
            allowWatchBookmarks: 'true',
            timeoutSeconds: this.options.watchSeconds?.toString(),
          },
          (event) => {
            resourceVersion = this.apply(kind, event) ?? resourceVersion;
            failures = 0;
            this.recovered(kind);
          },
          signal,
        );
        // The server ended the watch (its timeout): carry on from the last version seen.
        failures = 0;
        this.recovered(kind);
      } catch (e) {
        if (signal.aborted) return;
        failures++;
        if (e instanceof ApiStatusError && e.status === 410) {
          this.options.debug(`watch ${path}: ${e.message}; listing again`);
          resourceVersion = undefined;
          // A version is compacted away now and then: list again at once, but not in a loop.
          if (failures === 1) continue;
        }
        const waitMs = Math.min(max, initial * 2 ** (failures - 1));
        const problem = describeFailure(e, this.conn.api.server, kind, 'watch', this.namespaceOf(kind)).message;
        this.troubled(kind, `${problem} (retrying in ${Math.round(waitMs / 100) / 10}s)`);
        await sleep(waitMs, signal);
      }
    }
  }

  /** Applies one event; returns the resourceVersion it carries. */
  private apply(kind: SourceKind, event: WatchEvent): string | undefined {
    const raw = event.object;
    const version = stringAt(raw, 'metadata', 'resourceVersion');
    if (event.type === 'BOOKMARK') {
      this.options.debug(`watch ${kind.kind}: bookmark at resourceVersion ${version}`);
      return version;
    }
    const objects = this.objectsByKind.get(kind)!;
    if (event.type === 'DELETED') objects.delete(keyOf(raw));
    else {
      const slim = this.slim(kind, raw);
      if (slim) objects.set(keyOf(raw), slim);
      else objects.delete(keyOf(raw));
    }
    this.changed();
    return version;
  }

  private changed(): void {
    if (this.debounce || this.abort.signal.aborted) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.options.onChange();
    }, this.options.debounceMs ?? 200);
  }

  private troubled(kind: SourceKind, problem: string): void {
    this.troubles.set(kind, problem);
    this.options.onTrouble?.(problem);
  }

  private recovered(kind: SourceKind): void {
    if (!this.troubles.delete(kind)) return;
    this.options.onTrouble?.(this.troubles.values().next().value);
  }
}

function keyOf(raw: JsonObject): string {
  return `${stringAt(raw, 'metadata', 'namespace') ?? ''}/${stringAt(raw, 'metadata', 'name') ?? ''}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
