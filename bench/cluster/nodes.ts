// Nodes of the synthetic cluster, as the kubelet and kube-controller-manager write them, and the
// slot of pod IPs each hands out.

import { isJsonObject, valueAt } from '../../src/core/json-value.js';
import { node as nodeBuilder, type Raw } from '../../test/support/objects.js';
import { fieldSet, fieldValue, managedEntry } from './managed-fields.js';
import { chance, hex, int, pick, timeAgo, uuid, type Rand } from './random.js';
import { INSTANCE_TYPES, PARTS_A, PARTS_B, REGISTRIES, ZONES } from './vocabulary.js';

export interface NodeSlot {
  name: string;
  index: number;
  ready: boolean;
  /** Pod IPs handed out on the node's /24. */
  used: number;
  ip: string;
}

export function nodeIndexIP(i: number): string {
  return `10.0.${Math.floor(i / 250)}.${(i % 250) + 4}`;
}

export function podIPOn(slot: NodeSlot): string {
  const i = slot.index;
  return `10.${244 + Math.floor(i / 256)}.${i % 256}.${slot.used + 2}`;
}

export function makeNode(r: Rand, slot: NodeSlot): Raw {
  const zone = ZONES[slot.index % ZONES.length];
  const instance = pick(r, INSTANCE_TYPES);
  const cpu = instance.includes('4xlarge') ? 16 : 8;
  const memKi = cpu * 4 * 1024 * 1024 + int(r, 0, 90000);
  const created = timeAgo(r, 120);
  const heartbeat = '2026-03-01T11:59:30Z';
  const base = nodeBuilder(slot.name, { zone, ready: slot.ready ? 'True' : 'Unknown' });
  const baseLabels = valueAt(base, 'metadata', 'labels');
  const labels = {
    ...(isJsonObject(baseLabels) ? baseLabels : {}),
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/instance-type': instance,
    'beta.kubernetes.io/os': 'linux',
    'failure-domain.beta.kubernetes.io/region': 'us-east-1',
    'failure-domain.beta.kubernetes.io/zone': zone,
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': instance,
    'topology.kubernetes.io/region': 'us-east-1',
    'eks.amazonaws.com/nodegroup': `ng-${instance.split('.')[0]}`,
    'eks.amazonaws.com/capacityType': chance(r, 0.3) ? 'SPOT' : 'ON_DEMAND',
  };
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: created,
    reason,
    message,
  });
  const images = Array.from({ length: int(r, 12, 24) }, () => {
    const name = `${pick(r, REGISTRIES)}/${pick(r, PARTS_A)}-${pick(r, PARTS_B)}`;
    return {
      names: [`${name}@sha256:${hex(r, 64)}`, `${name}:v1.${int(r, 0, 40)}.${int(r, 0, 9)}`],
      sizeBytes: int(r, 5e6, 9e8),
    };
  });
  const status: Raw = {
    addresses: [
      { type: 'InternalIP', address: slot.ip },
      { type: 'InternalDNS', address: `ip-${slot.ip.replaceAll('.', '-')}.ec2.internal` },
      { type: 'Hostname', address: `ip-${slot.ip.replaceAll('.', '-')}.ec2.internal` },
    ],
    allocatable: {
      cpu: `${cpu * 1000 - 90}m`,
      'ephemeral-storage': '95491281146',
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: `${memKi - 1000000}Ki`,
      pods: '110',
    },
    capacity: {
      cpu: String(cpu),
      'ephemeral-storage': '104845292Ki',
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: `${memKi}Ki`,
      pods: '110',
    },
    conditions: [
      condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      slot.ready
        ? condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
        : condition('Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'),
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    images,
    nodeInfo: {
      architecture: 'amd64',
      bootID: uuid(r),
      containerRuntimeVersion: 'containerd://1.7.22',
      kernelVersion: '6.1.112-124.190.amzn2023.x86_64',
      kubeProxyVersion: 'v1.32.0',
      kubeletVersion: 'v1.32.0',
      machineID: hex(r, 32),
      operatingSystem: 'linux',
      osImage: 'Amazon Linux 2023.6.20241010',
      systemUUID: uuid(r),
    },
  };
  const metadata: Raw = {
    name: slot.name,
    uid: uuid(r),
    creationTimestamp: created,
    labels,
    annotations: {
      'alpha.kubernetes.io/provided-node-ip': slot.ip,
      'node.alpha.kubernetes.io/ttl': '0',
      'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      'csi.volume.kubernetes.io/nodeid': JSON.stringify({ 'ebs.csi.aws.com': `i-${hex(r, 17)}` }),
    },
  };
  const spec: Raw = {
    podCIDR: `10.${244 + Math.floor(slot.index / 256)}.${slot.index % 256}.0/24`,
    podCIDRs: [`10.${244 + Math.floor(slot.index / 256)}.${slot.index % 256}.0/24`],
    providerID: `aws:///${zone}/i-${hex(r, 17)}`,
    ...(slot.ready
      ? {}
      : { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAddedAt: heartbeat }] }),
  };
  metadata.managedFields = [
    managedEntry('kubelet', created, {
      'f:metadata': {
        'f:annotations': fieldValue('annotations', metadata.annotations),
        'f:labels': fieldValue('labels', labels),
      },
    }),
    managedEntry('kube-controller-manager', created, { 'f:spec': fieldSet(spec, ['providerID']) }),
    managedEntry('kubelet', heartbeat, { 'f:status': fieldSet(status, ['images']) }, 'status'),
  ];
  return { apiVersion: 'v1', kind: 'Node', metadata, spec, status };
}
