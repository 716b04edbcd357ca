// The node vantage point (--connect-from node/NAME): a debug pod on the node, in its host network
// namespace, made and deleted as probe --debug-pod makes and deletes its own (node/debug-pod.ts),
// so that what it reaches is what the node reaches, its own NodePorts included. Its one container
// has no privileges at all (container.ts): the connect program is exec'd in it, and the pod is
// deleted afterwards whatever happens.

import { isIP } from 'node:net';
import type { KubeConfig, V1Node } from '@kubernetes/client-node';
import { ClusterError, UsageError } from '../../core/errors.js';
import { apiCode, apiMessage, clientNode } from '../client-node.js';
import { debugPodName, deleteLeftoverDebugPods, withNodePod, type NodePodUse } from '../node/debug-pod.js';
import { CONTAINER_LIFETIME_SECONDS, NO_PRIVILEGES, runProgram } from './container.js';
import type { Vantage } from './types.js';

/** Where the debug pod goes: kube-system, as the probe's by default (a host-network pod is refused where Pod Security is baseline or restricted). */
export const NODE_POD_NAMESPACE = 'kube-system';

const NEEDS = `--connect-from node needs get on nodes, and create, get and delete on pods and create on pods/exec in namespace ${NODE_POD_NAMESPACE}`;
const CREATOR = 'endpoints-doctor-connect';

export interface NodeVantageOptions {
  kubeConfig: KubeConfig;
  node: string;
  image: string;
  /** Lines for stderr: what is created, before it is. */
  say: (line: string) => void;
  debug: (line: string) => void;
  /** Ends the pass early: the pod is deleted and the pass rejects (NodePodOptions.abort). */
  abort?: AbortSignal;
}

/** The node's InternalIPs, from its Node object: where its NodePorts are tried. No such node is a usage error. */
export async function nodeInternalIPs(kubeConfig: KubeConfig, node: string): Promise<string[]> {
  const { CoreV1Api } = await clientNode();
  let read: V1Node;
  try {
    read = await kubeConfig.makeApiClient(CoreV1Api).readNode({ name: node });
  } catch (e) {
    if (apiCode(e) === 404) throw new UsageError(`--connect-from node/${node}: there is no node ${node}`);
    if (apiCode(e) === 403)
      throw new ClusterError(`forbidden: cannot read node ${node} (${apiMessage(e)}); ${NEEDS}`, e);
    throw new ClusterError(`cannot read node ${node}: ${apiMessage(e)}`, e);
  }
  const addresses = (read.status?.addresses ?? [])
    .filter((a) => a.type === 'InternalIP' && isIP(a.address) !== 0)
    .map((a) => a.address);
  return [...new Set(addresses)];
}

/** The pod's one container: the connect image, sleeping for the run, with no privileges and small resources. */
function connectUse(o: NodeVantageOptions, name: string): NodePodUse {
  return {
    name,
    creator: CREATOR,
    deadlineSeconds: CONTAINER_LIFETIME_SECONDS,
    container: {
      name: 'connect',
      image: o.image,
      imagePullPolicy: 'IfNotPresent',
      resources: {
        requests: { cpu: '10m', memory: '16Mi' },
        limits: { cpu: '500m', memory: '64Mi' },
      },
      securityContext: NO_PRIVILEGES,
    },
    needs: NEEDS,
  };
}

/**
 * The node as a vantage point: the pod is created when there is something to try (a run with no
 * TCP target creates nothing), after a note saying what it is, and deleted once the program has
 * answered, or failed, or the process is interrupted.
 */
export function nodeVantage(o: NodeVantageOptions): Vantage {
  return {
    name: `node/${o.node}`,
    async attemptAll(attempts, options) {
      if (attempts.length === 0) return [];
      // A run killed outright (SIGKILL) left its pod; list is optional, its lack only said.
      await deleteLeftoverDebugPods({
        kubeConfig: o.kubeConfig,
        namespace: NODE_POD_NAMESPACE,
        owner: { creator: CREATOR, run: '--connect-from node run', needs: NEEDS },
      });
      const name = debugPodName('connect', o.node);
      const where = `the debug pod ${NODE_POD_NAMESPACE}/${name} on node ${o.node}`;
      o.say(
        `creating the pod ${NODE_POD_NAMESPACE}/${name} on node ${o.node} (image ${o.image}, host network, no privileges) ` +
          'to connect from; it is deleted when the run ends',
      );
      return withNodePod(
        {
          kubeConfig: o.kubeConfig,
          namespace: NODE_POD_NAMESPACE,
          nodeName: o.node,
          debug: o.debug,
          ...(o.abort ? { abort: o.abort } : {}),
        },
        connectUse(o, name),
        (target) =>
          runProgram(
            {
              kubeConfig: o.kubeConfig,
              target,
              image: o.image,
              where,
              execNeeds: NEEDS,
              flag: '--connect-from node',
            },
            attempts,
            options,
          ),
      );
    },
  };
}
