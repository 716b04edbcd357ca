// `kubectl endpoints-doctor snapshot`: writes what the diagnosis reads from the live cluster,
// as one kubectl-style List, so that anyone can rerun the diagnosis with --snapshot.

import type { Command } from 'commander';
import { stringify } from 'yaml';
import { UsageError } from '../errors.js';
import { terminalText } from '../render/terminal-text.js';
import { connect, fetchLive } from '../sources/live.js';
import { READ_KINDS_ANNOTATION } from '../sources/objects.js';
import type { KnownKind } from '../sources/slim.js';
import { addScopeFlags, completeScope, type ScopeFlags } from './scope.js';

interface SnapshotFlags extends ScopeFlags {
  output: string;
  redact?: boolean;
}

const API_VERSIONS: Record<KnownKind, string> = {
  Service: 'v1',
  Pod: 'v1',
  Endpoints: 'v1',
  Node: 'v1',
  EndpointSlice: 'discovery.k8s.io/v1',
};
export const SNAPSHOT_OUTPUTS = ['yaml', 'json'] as const;
const ORDER: KnownKind[] = ['Service', 'Endpoints', 'EndpointSlice', 'Pod', 'Node'];

export function addSnapshotFlags(command: Command): Command {
  return addScopeFlags(command)
    .option('-o, --output <format>', SNAPSHOT_OUTPUTS.join(' or '), 'yaml')
    .option('--redact', 'blank environment variable values and annotation values');
}

type Raw = Record<string, any>;

/** Drops managedFields (noise, and large); with redact, blanks values that may hold secrets. */
export function cleanObject(kind: KnownKind, raw: Raw, redact: boolean): Raw {
  const { managedFields: _dropped, ...metadata } = (raw.metadata ?? {}) as Raw;
  const out: Raw = { apiVersion: API_VERSIONS[kind], kind, ...raw, metadata };
  if (!redact) return out;
  if (metadata.annotations) {
    metadata.annotations = Object.fromEntries(Object.keys(metadata.annotations).map((k) => [k, '']));
  }
  if (kind === 'Pod' && out.spec) {
    out.spec = { ...out.spec };
    for (const field of ['containers', 'initContainers', 'ephemeralContainers']) {
      if (!Array.isArray(out.spec[field])) continue;
      out.spec[field] = out.spec[field].map((c: Raw) => ({
        ...c,
        ...(Array.isArray(c.env) ? { env: c.env.map((e: Raw) => ('value' in e ? { ...e, value: '' } : e)) } : {}),
      }));
    }
  }
  return out;
}

export async function runSnapshot(args: string[], flags: SnapshotFlags): Promise<number> {
  if (!(SNAPSHOT_OUTPUTS as readonly string[]).includes(flags.output))
    throw new UsageError(`-o/--output "${flags.output}" is not yaml or json`);
  if (flags.snapshot) throw new UsageError('snapshot reads a live cluster; --snapshot is for diagnosing a file');
  const scope = completeScope(flags, args, (line) => process.stderr.write(`debug: ${line}\n`));
  const conn = await connect(scope);
  const namespace = scope.allNamespaces ? undefined : (scope.namespace ?? conn.defaultNamespace);
  const result = await fetchLive(
    conn,
    { namespace, serviceNames: scope.serviceNames, labelSelector: scope.labelSelector },
    (kind, raw) => cleanObject(kind, raw, flags.redact === true),
  );
  for (const note of Object.values(result.missing)) process.stderr.write(`note: ${terminalText(note)}\n`);
  const items = [...result.objects].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  // Which kinds were read, so that a kind with no object in scope reads back as "none", not "not read".
  const read = ORDER.filter(
    (kind) => !(kind === 'Endpoints' && result.missing.endpoints) && !(kind === 'Node' && result.missing.nodes),
  );
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    metadata: { annotations: { [READ_KINDS_ANNOTATION]: read.join(',') } },
    items,
  };
  process.stdout.write(
    flags.output === 'json' ? JSON.stringify(list, null, 2) + '\n' : stringify(list, { lineWidth: 0 }),
  );
  return 0;
}
