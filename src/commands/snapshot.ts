// `kubectl endpoints-doctor snapshot`: writes what the diagnosis reads from the live cluster,
// so that anyone can rerun the diagnosis with --snapshot. Each object is written slim (only the
// fields the checks read, sources/slim.ts): the file is small, reads back to the same model,
// and holds no env, command, probe or volume details. JSON is one kubectl-style List, an item a
// line; YAML is a List (its items empty, its annotation naming the kinds read) and then one
// document per object, so that it reads back one object at a time.

import { once } from 'node:events';
import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { terminalText } from '../core/terminal-text.js';
import { OVER_CAPACITY_ANNOTATION, TRIGGER_TIME_ANNOTATION } from '../model/endpoint-meta.js';
import { DEPRECATED_TOPOLOGY_ANNOTATION, TOPOLOGY_MODE_ANNOTATION } from '../model/services.js';
import type { ClusterObject, ContainerStatus, Labels } from '../core/objects.js';
import { IGNORE_ANNOTATION } from '../report/run-checks.js';
import { writeBlockYaml } from '../sources/block-yaml.js';
import { connect, fetchLive, missingNotes } from '../sources/live.js';
import { setOwnKey } from '../sources/slim.js';
import { snapshotList, type SnapshotList } from '../sources/snapshot-list.js';
import type { CommandSteps } from './command.js';
import { addScopeFlags, completeScope, type Scope, type ScopeFlags } from './scope.js';
import type { IOStreams, OutputStream } from './streams.js';

export interface SnapshotFlags extends ScopeFlags {
  output: string;
  redact?: boolean;
}

interface SnapshotOptions {
  scope: Scope;
  format: (typeof SNAPSHOT_OUTPUTS)[number];
  redact: boolean;
}

export const SNAPSHOT_OUTPUTS = ['yaml', 'json'] as const;

export function addSnapshotFlags(command: Command): Command {
  return addScopeFlags(command)
    .option('-o, --output <format>', SNAPSHOT_OUTPUTS.join(' or '), 'yaml')
    .option('--redact', 'blank annotation values and container, condition and event messages');
}

/** Annotations whose values the checks read: Kubernetes' own, never secret, kept by --redact. */
const DIAGNOSED_ANNOTATIONS = new Set([
  TRIGGER_TIME_ANNOTATION,
  OVER_CAPACITY_ANNOTATION,
  DEPRECATED_TOPOLOGY_ANNOTATION,
  TOPOLOGY_MODE_ANNOTATION,
  IGNORE_ANNOTATION,
]);

const SECRETS_REMINDER =
  'note: the snapshot keeps annotation values and container, condition and event messages, which may hold secrets; --redact blanks them\n';

function redactAnnotations(annotations: Labels): Labels {
  const out: Labels = {};
  for (const key of Object.keys(annotations))
    setOwnKey(out, key, DIAGNOSED_ANNOTATIONS.has(key) ? annotations[key] : '');
  return out;
}

function redactStatus(s: ContainerStatus): ContainerStatus {
  return { ...s, message: undefined };
}

/** The free text an object still holds once slim, blanked: no check reads it, people might. */
function redactObject(object: ClusterObject): ClusterObject {
  const meta = { ...object.meta, annotations: redactAnnotations(object.meta.annotations) };
  switch (object.kind) {
    case 'Pod':
      return {
        ...object,
        meta,
        conditions: object.conditions.map((c) => ({ ...c, message: undefined })),
        containerStatuses: object.containerStatuses.map(redactStatus),
        initContainerStatuses: object.initContainerStatuses.map(redactStatus),
      };
    case 'Event':
      return { ...object, meta, message: '' };
    case 'Deployment':
    case 'ReplicaSet':
      return { ...object, meta, conditions: object.conditions.map((c) => ({ ...c, message: undefined })) };
    default:
      return { ...object, meta };
  }
}

/** Writes to stdout in chunks of about a megabyte, waiting when the reader is slower. */
class ChunkedWriter {
  private chunks: string[] = [];
  private size = 0;

  constructor(private readonly out: OutputStream) {}

  async write(text: string): Promise<void> {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) await this.flush();
  }

  async flush(): Promise<void> {
    const text = this.chunks.join('');
    this.chunks = [];
    this.size = 0;
    if (!this.out.write(text)) await once(this.out, 'drain');
  }
}

async function writeList(stream: OutputStream, format: SnapshotOptions['format'], { header, items }: SnapshotList) {
  const out = new ChunkedWriter(stream);
  if (format === 'json') {
    // Written item by item (the whole List as one string would not fit at scale), one item a line.
    await out.write(`${JSON.stringify(header).slice(0, -1)},"items":[`);
    let separator = '';
    for (const item of items) {
      await out.write(`${separator}\n${JSON.stringify(item)}`);
      separator = ',';
    }
    await out.write('\n]}\n');
  } else {
    await out.write(writeBlockYaml({ ...header, items: [] }));
    for (const item of items) await out.write(`---\n${writeBlockYaml(item)}`);
  }
  await out.flush();
}

function completeSnapshot(args: string[], flags: SnapshotFlags, streams: IOStreams): SnapshotOptions {
  if (!(SNAPSHOT_OUTPUTS as readonly string[]).includes(flags.output))
    throw new UsageError(`-o/--output "${flags.output}" is not yaml or json`);
  if (flags.snapshot) throw new UsageError('snapshot reads a live cluster; --snapshot is for diagnosing a file');
  return {
    format: flags.output as SnapshotOptions['format'],
    scope: completeScope(flags, args, streams),
    redact: flags.redact === true,
  };
}

async function runSnapshot({ scope, format, redact }: SnapshotOptions, streams: IOStreams): Promise<number> {
  const conn = await connect(scope);
  const namespace = scope.allNamespaces ? undefined : (scope.namespace ?? conn.defaultNamespace);
  const result = await fetchLive(
    conn,
    { namespace, serviceNames: scope.serviceNames, labelSelector: scope.labelSelector },
    { transform: redact ? redactObject : undefined },
  );
  for (const note of missingNotes(result.missing)) streams.errOut.write(`note: ${terminalText(note)}\n`);
  await writeList(streams.out, format, snapshotList(result));
  if (!redact) streams.errOut.write(SECRETS_REMINDER);
  return 0;
}

export const snapshotCommand: CommandSteps<SnapshotFlags, SnapshotOptions> = {
  complete: completeSnapshot,
  validate: () => {
    // Every flag of snapshot stands alone: completing them checked them all.
  },
  run: runSnapshot,
};
