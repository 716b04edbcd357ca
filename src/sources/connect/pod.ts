// The pod vantage point (--connect-from pod/NAME): an ephemeral container added to the pod as
// `kubectl debug` adds one (the pod's ephemeralcontainers subresource,
// https://kubernetes.io/docs/concepts/workloads/pods/ephemeral-containers/). It shares the pod's
// network namespace, so what it reaches is what the pod reaches, NetworkPolicies included. It
// runs `sleep` for a bounded time and the connect program (program.ts) is exec'd in it. An
// ephemeral container cannot be removed from its pod: it stops when its sleep ends and stays
// listed in the pod's spec, which the doctor says before adding it.

import { randomBytes } from 'node:crypto';
import type { KubeConfig, V1EphemeralContainer, V1Pod } from '@kubernetes/client-node';
import { ClusterError, UsageError } from '../../core/errors.js';
import { apiCode, apiMessage, clientNode } from '../client-node.js';
import { canonicalIP } from '../../core/ip.js';
import { podRunner } from '../node/exec.js';
import { CONTAINER_LIFETIME_SECONDS, NO_PRIVILEGES, runProgram } from './container.js';
import { dnsProgramArgv, NO_NSLOOKUP, parseDnsOutput, POD_RESOLVER } from './dns.js';
import type { DnsAnswer, DnsQuery, DnsVantage, Vantage } from './types.js';

/** How long the container may take to run (an image pull included). */
const START_TIMEOUT_MS = 60_000;

const PULL_FAILURES =
  /ErrImagePull|ImagePullBackOff|InvalidImageName|ErrImageNeverPull|CreateContainerConfigError|CreateContainerError|RunContainerError/;

export interface PodVantageOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  pod: string;
  image: string;
  /** Lines for stderr: what is created, before it is. */
  say: (line: string) => void;
}

/** Without privileges (container.ts); the pod's own securityContext applies beneath. */
function containerSpec(name: string, image: string): V1EphemeralContainer {
  return {
    name,
    image,
    imagePullPolicy: 'IfNotPresent',
    command: ['sleep', String(CONTAINER_LIFETIME_SECONDS)],
    terminationMessagePolicy: 'File',
    securityContext: NO_PRIVILEGES,
  };
}

/**
 * `--connect-from pod` without a name: a running pod of the namespace that is none of the
 * Services' endpoints (a client's view: a backend reaching itself may take a shortcut), else one
 * that is; the first by name, so that runs agree. Host-network pods see their node's network, not
 * a pod's, and are passed over. The diagnosis may have read only the Services' own pods: the
 * namespace's pods are listed here.
 */
export async function choosePod(kubeConfig: KubeConfig, namespace: string, backends: Set<string>): Promise<string> {
  const { CoreV1Api } = await clientNode();
  let pods: V1Pod[];
  try {
    pods = (
      await kubeConfig.makeApiClient(CoreV1Api).listNamespacedPod({ namespace, fieldSelector: 'status.phase=Running' })
    ).items;
  } catch (e) {
    if (apiCode(e) === 403)
      throw new ClusterError(
        `forbidden: cannot list the pods of namespace ${namespace} to choose one (${apiMessage(e)}): name it (pod/NAME)`,
        e,
      );
    throw new ClusterError(`cannot list the pods of namespace ${namespace}: ${apiMessage(e)}`, e);
  }
  const running = pods
    .filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp && !p.spec?.hostNetwork)
    .flatMap((p) => p.metadata?.name ?? [])
    .sort();
  const chosen = running.find((name) => !backends.has(name)) ?? running[0];
  if (chosen === undefined)
    throw new UsageError(`--connect-from pod: no running pod in namespace ${namespace} to connect from`);
  return chosen;
}

/** Why the container will not run, from the pod's status, or undefined while it may still. */
function startFailure(pod: V1Pod, container: string): string | undefined {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return `the pod ended (${phase})`;
  const state = pod.status?.ephemeralContainerStatuses?.find((s) => s.name === container)?.state;
  if (state?.terminated) return `it ended (${state.terminated.reason ?? `exit code ${state.terminated.exitCode}`})`;
  const waiting = state?.waiting;
  if (waiting?.reason && PULL_FAILURES.test(waiting.reason))
    return `it is waiting: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}`;
  return undefined;
}

function isRunning(pod: V1Pod, container: string): boolean {
  return pod.status?.ephemeralContainerStatuses?.some((s) => s.name === container && s.state?.running) === true;
}

/** Watches the pod until the container runs, fails, or START_TIMEOUT_MS passes. */
async function waitRunning(
  o: PodVantageOptions,
  container: string,
  resourceVersion: string | undefined,
): Promise<void> {
  const { Watch } = await clientNode();
  const where = `the ephemeral container ${container} in pod ${o.namespace}/${o.pod}`;
  let abort: AbortController | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new ClusterError(`${where} was not running after ${START_TIMEOUT_MS / 1000}s`)),
        START_TIMEOUT_MS,
      );
      const finish = (error?: Error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      new Watch(o.kubeConfig)
        .watch(
          `/api/v1/namespaces/${encodeURIComponent(o.namespace)}/pods`,
          {
            fieldSelector: `metadata.name=${o.pod}`,
            ...(resourceVersion ? { resourceVersion } : {}),
            allowWatchBookmarks: false,
          },
          (type: string, pod: V1Pod) => {
            if (type === 'DELETED') return finish(new ClusterError(`pod ${o.namespace}/${o.pod} was deleted`));
            if (isRunning(pod, container)) return finish();
            const failed = startFailure(pod, container);
            if (failed) finish(new ClusterError(`${where} did not start: ${failed}; pick another image with --image`));
          },
          (err: unknown) => {
            if (err) finish(new ClusterError(`watching pod ${o.namespace}/${o.pod} failed: ${apiMessage(err)}`, err));
            else finish(new ClusterError(`the watch of pod ${o.namespace}/${o.pod} ended before ${where} ran`));
          },
        )
        .then(
          (controller) => (abort = controller),
          (err: unknown) =>
            finish(
              new ClusterError(
                apiCode(err) === 403
                  ? `forbidden: cannot watch pod ${o.namespace}/${o.pod} (${apiMessage(err)}); --connect-from pod needs watch on pods`
                  : `cannot watch pod ${o.namespace}/${o.pod}: ${apiMessage(err)}`,
                err,
              ),
            ),
        );
    });
  } finally {
    abort?.abort();
  }
}

/**
 * Adds the ephemeral container (after saying so) and waits for it to run; returns its name and
 * the pod's addresses.
 * Errors are one line each: the pod missing (a usage error), not running, forbidden, ephemeral
 * containers disabled, the image not pulled.
 */
async function addContainer(o: PodVantageOptions): Promise<{ container: string; podIPs: string[] }> {
  const { CoreV1Api } = await clientNode();
  const core = o.kubeConfig.makeApiClient(CoreV1Api);
  const where = `pod ${o.namespace}/${o.pod}`;
  let pod: V1Pod;
  try {
    pod = await core.readNamespacedPod({ name: o.pod, namespace: o.namespace });
  } catch (e) {
    if (apiCode(e) === 404) throw new UsageError(`--connect-from pod/${o.pod}: there is no ${where}`);
    if (apiCode(e) === 403)
      throw new ClusterError(
        `forbidden: cannot read ${where} (${apiMessage(e)}); --connect-from pod needs get on pods`,
        e,
      );
    throw new ClusterError(`cannot read ${where}: ${apiMessage(e)}`, e);
  }
  if (pod.status?.phase !== 'Running')
    throw new ClusterError(
      `${where} is not running (phase ${pod.status?.phase ?? 'unknown'}): pick a running pod for --connect-from`,
    );

  const name = `endpoints-doctor-${randomBytes(2).toString('hex')}`;
  o.say(
    `adding the ephemeral container ${name} (image ${o.image}, no privileges) to ${where}: ` +
      `ephemeral containers cannot be removed; it stops by itself after ${CONTAINER_LIFETIME_SECONDS}s and stays listed in the pod`,
  );
  let updated: V1Pod;
  try {
    updated = await core.replaceNamespacedPodEphemeralcontainers({
      name: o.pod,
      namespace: o.namespace,
      body: {
        ...pod,
        spec: {
          ...pod.spec!,
          ephemeralContainers: [...(pod.spec?.ephemeralContainers ?? []), containerSpec(name, o.image)],
        },
      },
    });
  } catch (e) {
    if (apiCode(e) === 403)
      throw new ClusterError(
        `forbidden: cannot add an ephemeral container to ${where} (${apiMessage(e)}); --connect-from pod needs update on pods/ephemeralcontainers and create on pods/exec`,
        e,
      );
    if (apiCode(e) === 404)
      throw new ClusterError(
        `ephemeral containers are disabled on this cluster (${where} has no ephemeralcontainers subresource)`,
        e,
      );
    if (apiCode(e) === 409)
      throw new ClusterError(`${where} changed while the ephemeral container was added: run again`, e);
    throw new ClusterError(`cannot add an ephemeral container to ${where}: ${apiMessage(e)}`, e);
  }
  if (!isRunning(updated, name)) await waitRunning(o, name, updated.metadata?.resourceVersion);
  const podIPs = pod.status?.podIPs?.flatMap((p) => p.ip ?? []) ?? [];
  return { container: name, podIPs: podIPs.length > 0 ? podIPs : pod.status?.podIP ? [pod.status.podIP] : [] };
}

/**
 * The pod as a vantage point: the container is added when there is something to try or to look
 * up (a run with neither creates nothing), once; each batch of targets is one exec of the connect
 * program, and the lookups one exec of the DNS program.
 */
export function podVantage(o: PodVantageOptions): Vantage & DnsVantage {
  let added: ReturnType<typeof addContainer> | undefined;
  const container = () => (added ??= addContainer(o));
  return {
    name: `pod/${o.namespace}/${o.pod}`,
    async attemptAll(attempts, options) {
      if (attempts.length === 0) return [];
      const { container: name, podIPs } = await container();
      return runProgram(
        {
          kubeConfig: o.kubeConfig,
          target: { namespace: o.namespace, name: o.pod, container: name },
          image: o.image,
          where: `the ephemeral container ${name} of pod ${o.namespace}/${o.pod}`,
          execNeeds: '--connect-from pod needs create on pods/exec (the container stops by itself)',
          flag: '--connect-from pod',
        },
        attempts,
        { ...options, own: new Set(podIPs.map(canonicalIP)) },
      );
    },
    async lookup(queries, options) {
      if (queries.length === 0) return [];
      const { container: name } = await container();
      return lookupInPod(o, name, queries, options);
    },
  };
}

/** The DNS program in the container: a lookup the deadline cut short, or an image without nslookup, is skipped and says so. */
async function lookupInPod(
  o: PodVantageOptions,
  container: string,
  queries: DnsQuery[],
  { timeoutMs, deadline }: { timeoutMs: number; deadline: number },
): Promise<DnsAnswer[]> {
  const skipped = (detail: string): DnsAnswer => ({ result: 'skipped', server: POD_RESOLVER, detail });
  const left = deadline - Date.now();
  if (left <= 0) return queries.map(() => skipped("not asked: the run's deadline passed"));
  const run = await podRunner(o.kubeConfig, { namespace: o.namespace, name: o.pod, container }, left);
  let result;
  try {
    result = await run(dnsProgramArgv(queries, Math.max(1, Math.ceil(timeoutMs / 1000))));
  } catch (e) {
    if (e instanceof ClusterError && /did not finish within/.test(e.message))
      return queries.map(() => skipped("not asked: the run's deadline passed"));
    throw e;
  }
  if (result.stdout.includes(NO_NSLOOKUP))
    return queries.map(() => skipped(`the image ${o.image} has no nslookup: not asked`));
  return parseDnsOutput(result.stdout, queries.length).map(
    (answer) => answer ?? skipped("not asked: the run's deadline passed"),
  );
}
