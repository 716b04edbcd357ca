// The cluster's nodes: one control plane and four workers in three zones; worker-c2 is lost.

import { node, type Raw } from '../../test/support/objects.js';
import { requiredObject } from '../../test/support/required-fields.js';
import { CLUSTER_CREATED, NOW, plus, uid } from './ids.js';

interface NodeDef {
  name: string;
  zone: string;
  /** Selects the pod CIDRs (10.244.N.0/24, fd00:10:244:N::/64) and the node's own addresses. */
  index: number;
  controlPlane?: boolean;
  /** The kubelet stopped posting status (a kernel panic, as it later turned out). */
  lost?: boolean;
}

const NODE_DEFS: NodeDef[] = [
  { name: 'cp-1', zone: 'dc1-a', index: 0, controlPlane: true },
  { name: 'worker-a1', zone: 'dc1-a', index: 1 },
  { name: 'worker-b1', zone: 'dc1-b', index: 2 },
  { name: 'worker-c1', zone: 'dc1-c', index: 3 },
  { name: 'worker-c2', zone: 'dc1-c', index: 4, lost: true },
];

/** worker-c2 last posted its status at 10:10:26; 50s later the node lifecycle controller gave up on it. */
const C2_LAST_HEARTBEAT = '2026-11-27T10:10:26Z';
export const C2_UNKNOWN_SINCE = plus(C2_LAST_HEARTBEAT, 50);

export function nodeDef(name: string): NodeDef {
  const def = NODE_DEFS.find((n) => n.name === name);
  if (!def) throw new Error(`no node ${name}`);
  return def;
}

export function nodeIP(def: NodeDef): string {
  return `10.10.0.${20 + def.index}`;
}

function buildNode(def: NodeDef): Raw {
  const cpu = def.controlPlane ? '3800m' : '15800m';
  const unreachable = (effect: string) => ({
    effect,
    key: 'node.kubernetes.io/unreachable',
    timeAdded: C2_UNKNOWN_SINCE,
  });
  const raw = node(def.name, {
    zone: def.zone,
    cpu,
    ready: def.lost ? 'Unknown' : 'True',
    labels: {
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/os': 'linux',
      'topology.kubernetes.io/region': 'dc1',
      ...(def.controlPlane
        ? { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' }
        : {}),
    },
    ...(def.controlPlane ? { taints: [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }] } : {}),
    ...(def.lost ? { taints: [unreachable('NoSchedule'), unreachable('NoExecute')] } : {}),
  });
  Object.assign(requiredObject(raw, 'metadata'), {
    uid: uid(`node/${def.name}`),
    creationTimestamp: plus(CLUSTER_CREATED, def.index * 420),
  });
  const spec = requiredObject(raw, 'spec');
  spec.podCIDR = `10.244.${def.index}.0/24`;
  spec.podCIDRs = [`10.244.${def.index}.0/24`, `fd00:10:244:${def.index}::/64`];
  raw.status = {
    addresses: [
      { address: nodeIP(def), type: 'InternalIP' },
      { address: `fd00:10:10::${(20 + def.index).toString(16)}`, type: 'InternalIP' },
      { address: def.name, type: 'Hostname' },
    ],
    allocatable: { cpu, memory: def.controlPlane ? '7901240Ki' : '64992600Ki', pods: '110' },
    conditions: [
      def.lost
        ? {
            lastHeartbeatTime: C2_LAST_HEARTBEAT,
            lastTransitionTime: C2_UNKNOWN_SINCE,
            message: 'Kubelet stopped posting node status.',
            reason: 'NodeStatusUnknown',
            status: 'Unknown',
            type: 'Ready',
          }
        : {
            lastHeartbeatTime: plus(NOW, -20 - def.index * 7),
            lastTransitionTime: '2026-11-20T05:52:40Z',
            message: 'kubelet is posting ready status',
            reason: 'KubeletReady',
            status: 'True',
            type: 'Ready',
          },
    ],
    nodeInfo: {
      containerRuntimeVersion: 'containerd://2.1.4',
      kubeletVersion: 'v1.34.2',
      osImage: 'Ubuntu 24.04.3 LTS',
    },
  };
  return raw;
}

export const NODES = NODE_DEFS.map(buildNode);
