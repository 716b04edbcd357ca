// Events of the synthetic cluster, as the API server keeps them for the last hour: Normal ones for
// the pods that started or were rescheduled recently (Scheduled, Pulling, Pulled, Created,
// Started: most of the events a cluster holds, which the doctor's type=Warning field selector
// leaves on the server), and several Warning events per unhealthy pod, as the kubelet and the
// scheduler report them.

import type { Raw } from '../../test/support/objects.js';
import type { PodCondition } from './pods.js';
import { chance, hex, int, type Rand } from './random.js';

/** The moment the events are recent to: an hour after the latest, the API server deletes them. */
const EVENTS_UNTIL = Date.parse('2026-03-01T12:00:00Z');

/** Pods with Normal events of a recent (re)start. */
const RECENTLY_STARTED = 0.25;

interface EventPod {
  name: string;
  ns: string;
  uid: string;
  node?: string;
  image: string;
  condition: PodCondition;
  nodeCount: number;
}

function ago(seconds: number): string {
  return new Date(EVENTS_UNTIL - seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
}

function podEvent(
  r: Rand,
  p: EventPod,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  count: number,
  source: string,
): Raw {
  const first = int(r, 600, 3500);
  const last = count > 1 ? int(r, 0, first) : first;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${p.name}.${hex(r, 16)}`,
      namespace: p.ns,
      uid: `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 12)}`,
      creationTimestamp: ago(first),
    },
    involvedObject: {
      apiVersion: 'v1',
      kind: 'Pod',
      name: p.name,
      namespace: p.ns,
      uid: p.uid,
      fieldPath: 'spec.containers{app}',
    },
    reason,
    message,
    source: source === 'kubelet' && p.node ? { component: source, host: p.node } : { component: source },
    firstTimestamp: ago(first),
    lastTimestamp: ago(last),
    count,
    type,
    eventTime: null,
    reportingComponent: source,
    reportingInstance: p.node ?? '',
  };
}

/** The events the pod has in the API server now. */
export function eventsOf(r: Rand, p: EventPod): Raw[] {
  const events: Raw[] = [];
  const normal = (reason: string, message: string, source = 'kubelet') =>
    events.push(podEvent(r, p, 'Normal', reason, message, 1, source));
  const warning = (reason: string, message: string, count: number, source = 'kubelet') =>
    events.push(podEvent(r, p, 'Warning', reason, message, count, source));
  if (p.condition !== 'unschedulable' && (p.condition !== 'ready' || chance(r, RECENTLY_STARTED))) {
    normal('Scheduled', `Successfully assigned ${p.ns}/${p.name} to ${p.node ?? 'a node'}`, 'default-scheduler');
    normal('Pulling', `Pulling image "${p.image}"`);
    if (p.condition !== 'image-pull') {
      normal(
        'Pulled',
        `Successfully pulled image "${p.image}" in 1.2s (1.2s including waiting). Image size: 48213877 bytes.`,
      );
      normal('Created', 'Created container: app');
      normal('Started', 'Started container app');
    }
  }
  switch (p.condition) {
    case 'crash':
      warning(
        'BackOff',
        `Back-off restarting failed container app in pod ${p.name}_${p.ns}(${p.uid})`,
        int(r, 20, 400),
      );
      warning(
        'Unhealthy',
        'Readiness probe failed: Get "http://10.0.0.1:8080/readyz": dial tcp 10.0.0.1:8080: connect: connection refused',
        int(r, 5, 60),
      );
      break;
    case 'probe-failing':
      warning('Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', int(r, 50, 700));
      warning('Unhealthy', 'Liveness probe failed: HTTP probe failed with statuscode: 500', int(r, 1, 30));
      break;
    case 'image-pull':
      warning(
        'Failed',
        `Failed to pull image "${p.image}": rpc error: code = NotFound desc = failed to pull and unpack image "${p.image}": not found`,
        int(r, 3, 12),
      );
      warning('Failed', 'Error: ErrImagePull', int(r, 3, 12));
      warning('BackOff', `Back-off pulling image "${p.image}"`, int(r, 30, 300));
      warning('Failed', 'Error: ImagePullBackOff', int(r, 30, 300));
      break;
    case 'creating':
      warning(
        'FailedMount',
        'MountVolume.SetUp failed for volume "config" : configmap "app-config" not found',
        int(r, 5, 40),
      );
      break;
    case 'unschedulable':
      warning(
        'FailedScheduling',
        `0/${p.nodeCount} nodes are available: ${p.nodeCount} Insufficient cpu. preemption: 0/${p.nodeCount} nodes are available: ${p.nodeCount} No preemption victims found for incoming pod.`,
        int(r, 3, 40),
        'default-scheduler',
      );
      break;
    case 'node-down':
      warning('NodeNotReady', 'Node is not ready', 1, 'node-controller');
      break;
    default:
      break;
  }
  return events;
}
