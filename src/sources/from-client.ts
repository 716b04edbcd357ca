// --from on a live cluster: what the client's view needs beyond what the diagnosis reads. The
// client (a pod by name, or a workload by name and its pods by its selector) and the
// NetworkPolicies of its namespace; the cluster DNS (Service kube-system/kube-dns, kube-system's
// pods and NetworkPolicies). A namespace other than the run's is read whole for pods, as a run of
// it would read them: the model takes a namespace whose pods it holds as one whose every pod it
// holds (ClusterModel.podsReadIn), and whose policies it holds as read.

import { ClusterError } from '../core/errors.js';
import { ApiStatusError } from './kube-api.js';
import { describeFailure, type Connection } from './live.js';
import { slimAs, SOURCE_KINDS, type SourceKind } from './slim.js';
import { collectionPath, type KnownKind } from '../core/kinds.js';
import { formatSelector } from '../core/selectors.js';
import type { ClusterObject, Workload } from '../core/objects.js';

/** What to read for the client: its namespace, and the pod or workload it is (neither for a namespace). */
export interface ClientReads {
  namespace: string;
  pod?: string;
  workload?: { kind: Workload['kind']; name: string };
}

const DNS_NAMESPACE = 'kube-system';
const DNS_SERVICE = 'kube-dns';

function kind(name: KnownKind): SourceKind {
  return SOURCE_KINDS.find((k) => k.kind === name)!;
}

async function list(
  conn: Connection,
  name: KnownKind,
  namespace: string,
  query: { fieldSelector?: string; labelSelector?: string },
): Promise<ClusterObject[]> {
  const k = kind(name);
  try {
    return await conn.api.list(collectionPath(k, namespace), query, (item) => slimAs(k, item));
  } catch (e) {
    throw describeFailure(e, conn.api.server, k, 'list', namespace);
  }
}

/**
 * The client and its namespace's NetworkPolicies; in another namespace than the run's, all its
 * pods. A refusal fails the run (the view would be a guess).
 */
async function readClientObjects(conn: Connection, reads: ClientReads, runNamespace: string): Promise<ClusterObject[]> {
  const { namespace } = reads;
  const whole = namespace !== runNamespace;
  const policies = list(conn, 'NetworkPolicy', namespace, {});
  const allPods = whole ? list(conn, 'Pod', namespace, {}) : Promise.resolve([]);
  let client: Promise<ClusterObject[]> = Promise.resolve([]);
  if (reads.pod !== undefined && !whole) {
    client = list(conn, 'Pod', namespace, { fieldSelector: `metadata.name=${reads.pod}` });
  } else if (reads.workload) {
    const { kind: workloadKind, name } = reads.workload;
    client = list(conn, workloadKind, namespace, { fieldSelector: `metadata.name=${name}` }).then(async (found) => {
      const workload = found[0] as Workload | undefined;
      if (!workload || whole) return found;
      const pods = await list(conn, 'Pod', namespace, { labelSelector: formatSelector(workload.selector) });
      return [workload, ...pods];
    });
  }
  return [...(await client), ...(await allPods), ...(await policies)];
}

/**
 * The cluster DNS as the input would hold it: Service kube-system/kube-dns, kube-system's pods
 * (few) and policies; none when they cannot be read (a forbidden kube-system is common): the DNS
 * verdict then says the DNS pods are not in the input.
 */
async function readDns(conn: Connection): Promise<ClusterObject[]> {
  try {
    const reads = await Promise.all([
      list(conn, 'Service', DNS_NAMESPACE, { fieldSelector: `metadata.name=${DNS_SERVICE}` }),
      list(conn, 'Pod', DNS_NAMESPACE, {}),
      list(conn, 'NetworkPolicy', DNS_NAMESPACE, {}),
    ]);
    return reads.flat();
  } catch (e) {
    const status = e instanceof ClusterError && e.detail instanceof ApiStatusError ? e.detail.status : undefined;
    if (status === 403 || status === 404) return [];
    throw e;
  }
}

/** Service kube-system/kube-dns, which a live run with --from reads: a snapshot run keeps it too. */
export function isClusterDnsService(object: ClusterObject): boolean {
  return object.kind === 'Service' && object.meta.namespace === DNS_NAMESPACE && object.meta.name === DNS_SERVICE;
}

/**
 * What --from needs read on a live cluster, besides the diagnosis's objects of `runNamespace`;
 * nothing for a run of every namespace, which read all of it.
 */
export async function readForClient(
  conn: Connection,
  reads: ClientReads | undefined,
  runNamespace: string | undefined,
): Promise<ClusterObject[]> {
  if (runNamespace === undefined) return [];
  const [client, dns] = await Promise.all([reads ? readClientObjects(conn, reads, runNamespace) : [], readDns(conn)]);
  return [...client, ...dns];
}
