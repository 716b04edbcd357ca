// probe --debug-pod: the one thing the tool ever creates. A short-lived pod pinned to the node,
// in the host network namespace with NET_ADMIN and NET_RAW (what `kubectl debug node/N
// --profile=netadmin` gives; iptables-legacy-save needs NET_RAW too, kube-proxy-dataplane §5.3),
// running sleep until the probe has exec'd its read-only commands. It is deleted afterwards,
// whatever happens: errors, Ctrl-C, SIGTERM. activeDeadlineSeconds ends it even if the probe dies.

import { randomBytes } from 'node:crypto';
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { ClusterError } from '../errors.js';
import type { RunCommand } from './commands.js';
import { podRunner } from './exec.js';

const DEBUG_POD_LABEL = 'app.kubernetes.io/created-by';
const DEADLINE_SECONDS = 600;
const START_TIMEOUT_MS = 120_000;

export interface DebugPodOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  nodeName: string;
  image: string;
  execTimeoutMs: number;
  debug: (line: string) => void;
  /** How long to wait between looks at the starting pod (tests make it short). */
  pollMs?: number;
}

function debugPodSpec(name: string, o: Pick<DebugPodOptions, 'namespace' | 'nodeName' | 'image'>): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: o.namespace, labels: { [DEBUG_POD_LABEL]: 'endpoints-doctor-probe' } },
    spec: {
      nodeName: o.nodeName,
      hostNetwork: true,
      restartPolicy: 'Never',
      activeDeadlineSeconds: DEADLINE_SECONDS,
      terminationGracePeriodSeconds: 0,
      tolerations: [{ operator: 'Exists' }],
      containers: [
        {
          name: 'probe',
          image: o.image,
          command: ['sleep', String(DEADLINE_SECONDS)],
          securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
        },
      ],
    },
  };
}

function apiFailure(e: unknown, what: string): ClusterError {
  const err = e as { code?: number; body?: unknown; message?: string };
  let message = err.message ?? String(e);
  try {
    const body = typeof err.body === 'string' ? JSON.parse(err.body) : err.body;
    if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
      message = (body as { message: string }).message;
    }
  } catch {
    // keep the client's message
  }
  if (err.code === 403)
    return new ClusterError(
      `forbidden: cannot ${what} (${message}); --debug-pod needs create, get and delete on pods`,
      e,
    );
  return new ClusterError(`cannot ${what}: ${message}`, e);
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
 * Creates the debug pod, waits for it to run, hands `work` a RunCommand inside it, and deletes
 * the pod afterwards in every case.
 */
export async function withDebugPod<T>(o: DebugPodOptions, work: (run: RunCommand) => Promise<T>): Promise<T> {
  const { CoreV1Api } = await import('@kubernetes/client-node');
  const core = o.kubeConfig.makeApiClient(CoreV1Api);
  const suffix = randomBytes(3).toString('hex').slice(0, 5);
  const name = `endpoints-doctor-probe-${o.nodeName
    .slice(0, 30)
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-+$/, '')}-${suffix}`;
  const where = `pod ${o.namespace}/${name}`;
  let created: Promise<unknown> | undefined;
  let deleted: Promise<void> | undefined;
  const remove = () =>
    (deleted ??= core.deleteNamespacedPod({ name, namespace: o.namespace, gracePeriodSeconds: 0 }).then(
      () => o.debug(`deleted debug ${where}`),
      (e: unknown) => {
        if ((e as { code?: number }).code === 404) return;
        process.stderr.write(
          `warning: could not delete the debug ${where}: delete it with kubectl delete -n ${o.namespace} pod ${name}\n`,
        );
      },
    ));
  // Ctrl-C and SIGTERM delete the pod before the process ends; one that arrives while the pod is
  // being created waits for the create to answer, so the pod cannot be left behind.
  const onSignal = (signal: NodeJS.Signals) => {
    void Promise.resolve(created)
      .catch(() => undefined)
      .then(remove)
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const forgetSignals = () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
  try {
    created = core.createNamespacedPod({ namespace: o.namespace, body: debugPodSpec(name, o) });
    await created;
  } catch (e) {
    forgetSignals();
    throw apiFailure(e, `create the debug pod in namespace ${o.namespace}`);
  }
  o.debug(`created debug ${where} on node ${o.nodeName} (image ${o.image})`);

  try {
    const started = Date.now();
    for (;;) {
      let pod: V1Pod;
      try {
        pod = await core.readNamespacedPod({ name, namespace: o.namespace });
      } catch (e) {
        throw apiFailure(e, `read the debug ${where}`);
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
      await new Promise((r) => setTimeout(r, o.pollMs ?? 1000));
    }
    const run = await podRunner(o.kubeConfig, { namespace: o.namespace, name, container: 'probe' }, o.execTimeoutMs);
    return await work(run);
  } finally {
    forgetSignals();
    await remove();
  }
}
