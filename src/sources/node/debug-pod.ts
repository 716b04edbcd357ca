// Debug pods on a node, the one kind of object the tool creates and deletes itself: `probe
// --debug-pod` reads the node's rules in one (NET_ADMIN and NET_RAW only, what `kubectl debug
// node/N --profile=netadmin` gives; iptables-legacy-save needs NET_RAW too,
// docs/kube-proxy-dataplane.md#debug-pod-and-capabilities), and `--connect --connect-from
// node/NAME` connects from one (sources/connect/node.ts). Either is a short-lived pod pinned to
// the node, in its host network namespace, running sleep until its commands have been exec'd. It
// is deleted afterwards, whatever happens: errors, Ctrl-C, SIGTERM, SIGHUP (a closed terminal).
// activeDeadlineSeconds ends it even if the process dies, and the next run of the same kind
// deletes the pods such a death left behind.

import { randomBytes } from 'node:crypto';
import type { KubeConfig, V1Container, V1Pod } from '@kubernetes/client-node';
import { apiCode, apiMessage, clientNode } from '../client-node.js';
import { ClusterError } from '../../core/errors.js';
import type { RunCommand } from './dump-commands.js';
import { podRunner, type PodTarget } from './exec.js';

const DEBUG_POD_LABEL = 'app.kubernetes.io/created-by';
const DEBUG_POD_CREATOR = 'endpoints-doctor-probe';
const DEADLINE_SECONDS = 600;
const PROBE_NEEDS = '--debug-pod needs create, get, list and delete on pods, and create on pods/exec';
const START_TIMEOUT_MS = 120_000;
/** The shell's convention, 128 + the signal's number, as the default action would have exited. */
const SIGNAL_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
type CleanupSignal = keyof typeof SIGNAL_EXIT_CODES;

/** Where a debug pod goes, and how the process says what it does with it. */
export interface NodePodOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  nodeName: string;
  debug: (line: string) => void;
  /** How long to wait between looks at the starting pod (tests make it short). */
  pollMs?: number;
  /**
   * Stops the wait for the pod and the work in it: the pod is deleted and the call rejects with
   * the signal's reason (-i quitting while a --connect pass runs, which no signal tells).
   */
  abort?: AbortSignal;
}

/** The work's answer, or the abort's reason as soon as it is aborted. */
function untilAborted<T>(work: Promise<T>, abort: AbortSignal | undefined): Promise<T> {
  if (!abort) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abort.reason instanceof Error ? abort.reason : new Error(String(abort.reason)));
    if (abort.aborted) return onAbort();
    abort.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => abort.removeEventListener('abort', onAbort));
  });
}

/** What one use of a debug pod puts in it, and what a refusal says that use needs. */
export interface NodePodUse {
  /** The pod's name (debugPodName). */
  name: string;
  /** Its app.kubernetes.io/created-by label: what the next run may tidy away. */
  creator: string;
  /** How long the pod may live: its activeDeadlineSeconds, and its container's sleep. */
  deadlineSeconds: number;
  /** Its one container, but for the command (sleep for the deadline). */
  container: Omit<V1Container, 'command'>;
  /** What a forbidden answer says is needed, e.g. "--debug-pod needs create, ... on pods". */
  needs: string;
}

/** endpoints-doctor-PURPOSE-NODE-xxxxx: the node's name cut to fit, and five random hex digits. */
export function debugPodName(purpose: string, nodeName: string): string {
  const suffix = randomBytes(3).toString('hex').slice(0, 5);
  const node = nodeName
    .slice(0, 30)
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-+$/, '');
  return `endpoints-doctor-${purpose}-${node}-${suffix}`;
}

/**
 * Pinned to the node, in its host network, never restarted, ended by its deadline; no service
 * account token, and any taint tolerated (the pod is for this node whatever it repels). The
 * use gives the container, with its privileges and resources.
 */
function nodePodSpec(o: NodePodOptions, use: NodePodUse): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: use.name, namespace: o.namespace, labels: { [DEBUG_POD_LABEL]: use.creator } },
    spec: {
      nodeName: o.nodeName,
      hostNetwork: true,
      restartPolicy: 'Never',
      activeDeadlineSeconds: use.deadlineSeconds,
      terminationGracePeriodSeconds: 0,
      automountServiceAccountToken: false,
      tolerations: [{ operator: 'Exists' }],
      containers: [{ ...use.container, command: ['sleep', String(use.deadlineSeconds)] }],
    },
  };
}

export interface DebugPodOptions extends NodePodOptions {
  image: string;
  execTimeoutMs: number;
}

/**
 * As little privilege as reading the rules needs: NET_ADMIN + NET_RAW, every other capability
 * dropped, no privilege escalation, the runtime's default seccomp profile, and small resources
 * (a big cluster's rule dump is tens of megabytes). The image is pulled only if the node lacks
 * it: its own kube-proxy image is there.
 */
function probeUse(o: DebugPodOptions): NodePodUse {
  return {
    name: debugPodName('probe', o.nodeName),
    creator: DEBUG_POD_CREATOR,
    deadlineSeconds: DEADLINE_SECONDS,
    container: {
      name: 'probe',
      image: o.image,
      imagePullPolicy: 'IfNotPresent',
      resources: {
        requests: { cpu: '10m', memory: '32Mi' },
        limits: { cpu: '500m', memory: '512Mi' },
      },
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'], add: ['NET_ADMIN', 'NET_RAW'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
    },
    needs: PROBE_NEEDS,
  };
}

function apiFailure(e: unknown, what: string, needs: string): ClusterError {
  if (apiCode(e) === 403) return new ClusterError(`forbidden: cannot ${what} (${apiMessage(e)}); ${needs}`, e);
  return new ClusterError(`cannot ${what}: ${apiMessage(e)}`, e);
}

/** Why a pod will not start, from its status, or undefined while it may still start. */
function startFailure(pod: V1Pod): string | undefined {
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded')
    return `it ended (${phase}${pod.status?.reason ? `: ${pod.status.reason}` : ''})`;
  const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting;
  if (
    waiting?.reason &&
    /ErrImagePull|ImagePullBackOff|InvalidImageName|CreateContainerConfigError|ErrImageNeverPull/.test(waiting.reason)
  ) {
    return `its container is waiting: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}`;
  }
  return undefined;
}

/**
 * Creates the debug pod, waits for it to run, hands `work` its container, and deletes the pod
 * afterwards in every case.
 */
export async function withNodePod<T>(
  o: NodePodOptions,
  use: NodePodUse,
  work: (container: PodTarget) => Promise<T>,
): Promise<T> {
  const core = await coreApi(o.kubeConfig);
  const { name } = use;
  const where = `pod ${o.namespace}/${name}`;
  let created: Promise<unknown> | undefined;
  let deleted: Promise<void> | undefined;
  const remove = () =>
    (deleted ??= core.deleteNamespacedPod({ name, namespace: o.namespace, gracePeriodSeconds: 0 }).then(
      () => o.debug(`deleted debug ${where}`),
      (e: unknown) => {
        if (apiCode(e) === 404) return;
        process.stderr.write(
          `warning: could not delete the debug ${where}: delete it with kubectl delete -n ${o.namespace} pod ${name}\n`,
        );
      },
    ));
  // Ctrl-C, SIGTERM and SIGHUP (the terminal closed) delete the pod before the process ends; one
  // that arrives while the pod is being created waits for the create to answer, so the pod
  // cannot be left behind. After a SIGHUP the terminal may be gone: a failed write to it must not
  // end the process before the delete is done.
  let interrupted = false;
  const onSignal = (signal: CleanupSignal) => {
    interrupted = true;
    if (signal === 'SIGHUP') process.stderr.on('error', () => {});
    void Promise.resolve(created)
      .catch(() => undefined)
      .then(remove)
      .finally(() => process.exit(SIGNAL_EXIT_CODES[signal]));
  };
  const signals = Object.keys(SIGNAL_EXIT_CODES) as CleanupSignal[];
  for (const signal of signals) process.once(signal, onSignal);
  const forgetSignals = () => {
    for (const signal of signals) process.removeListener(signal, onSignal);
  };
  try {
    o.abort?.throwIfAborted();
    created = core.createNamespacedPod({ namespace: o.namespace, body: nodePodSpec(o, use) });
    await created;
  } catch (e) {
    forgetSignals();
    throw apiFailure(e, `create the debug pod in namespace ${o.namespace}`, use.needs);
  }
  o.debug(`created debug ${where} on node ${o.nodeName} (image ${use.container.image})`);

  try {
    const started = Date.now();
    for (;;) {
      o.abort?.throwIfAborted();
      let pod: V1Pod;
      try {
        pod = await core.readNamespacedPod({ name, namespace: o.namespace });
      } catch (e) {
        throw apiFailure(e, `read the debug ${where}`, use.needs);
      }
      if (pod.status?.phase === 'Running') break;
      const failed = startFailure(pod);
      if (failed)
        throw new ClusterError(`the debug ${where} did not start: ${failed}; pick another image with --image`);
      if (Date.now() - started > START_TIMEOUT_MS) {
        throw new ClusterError(
          `the debug ${where} was not running after ${START_TIMEOUT_MS / 1000}s (phase ${pod.status?.phase ?? 'unknown'})`,
        );
      }
      await untilAborted(new Promise((r) => setTimeout(r, o.pollMs ?? 1000)), o.abort);
    }
    return await untilAborted(work({ namespace: o.namespace, name, container: use.container.name }), o.abort);
  } finally {
    forgetSignals();
    await remove();
    // After a signal the process ends as soon as the pod is gone (onSignal): nothing more runs or prints.
    if (interrupted) await new Promise<never>(() => {});
  }
}

/** probe --debug-pod: the debug pod that reads the node's rules, `work` given a RunCommand in it. */
export async function withDebugPod<T>(o: DebugPodOptions, work: (run: RunCommand) => Promise<T>): Promise<T> {
  return withNodePod(o, probeUse(o), async (container) =>
    work(await podRunner(o.kubeConfig, container, o.execTimeoutMs)),
  );
}

async function coreApi(kubeConfig: KubeConfig) {
  const { CoreV1Api } = await clientNode();
  return kubeConfig.makeApiClient(CoreV1Api);
}

/** Whose leftovers a sweep deletes: the pods one use labels as its own, and how messages name that use. */
export interface LeftoverOwner {
  /** The app.kubernetes.io/created-by value of its pods (NodePodUse.creator). */
  creator: string;
  /** The run that makes such pods, e.g. "probe" or "--connect-from node run". */
  run: string;
  /** What a forbidden answer says is needed. */
  needs: string;
}

const PROBE_LEFTOVERS: LeftoverOwner = { creator: DEBUG_POD_CREATOR, run: 'probe', needs: PROBE_NEEDS };

/**
 * Deletes the debug pods of earlier runs that outlived their deadline in `namespace` (a run
 * killed with SIGKILL, or a node gone mid-run, leaves one behind; activeDeadlineSeconds stops it
 * but does not delete it), and says so on stderr. Younger ones may belong to a run going on now
 * and are left alone; so are other uses' and other tools' pods.
 */
export async function deleteLeftoverDebugPods(o: {
  kubeConfig: KubeConfig;
  namespace: string;
  owner?: LeftoverOwner;
}): Promise<void> {
  const owner = o.owner ?? PROBE_LEFTOVERS;
  const core = await coreApi(o.kubeConfig);
  let pods: V1Pod[];
  try {
    pods = (
      await core.listNamespacedPod({ namespace: o.namespace, labelSelector: `${DEBUG_POD_LABEL}=${owner.creator}` })
    ).items;
  } catch (e) {
    // Without list the run still works; only the tidying is skipped, and said.
    if (apiCode(e) === 403) {
      process.stderr.write(
        `warning: cannot look for debug pods earlier ${owner.run}s left in namespace ${o.namespace}: forbidden to list pods there\n`,
      );
      return;
    }
    throw apiFailure(e, `list the debug pods left in namespace ${o.namespace}`, owner.needs);
  }
  const now = Date.now();
  for (const pod of pods) {
    const name = pod.metadata?.name;
    const created = pod.metadata?.creationTimestamp;
    if (!name || !created || pod.metadata?.deletionTimestamp) continue;
    const deadlineSeconds = pod.spec?.activeDeadlineSeconds ?? DEADLINE_SECONDS;
    if (now - new Date(created).getTime() <= deadlineSeconds * 1000) continue;
    try {
      await core.deleteNamespacedPod({ name, namespace: o.namespace, gracePeriodSeconds: 0 });
    } catch (e) {
      if (apiCode(e) === 404) continue;
      throw apiFailure(e, `delete the leftover debug pod ${o.namespace}/${name}`, owner.needs);
    }
    process.stderr.write(
      `note: deleted the debug pod ${o.namespace}/${name} an earlier ${owner.run} left behind (created ${new Date(created).toISOString()}, past its ${deadlineSeconds}s deadline)\n`,
    );
  }
}
