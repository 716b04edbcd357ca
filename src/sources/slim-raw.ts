// The inverse of slim.ts: a slim object written back as a Kubernetes object (apiVersion, kind,
// metadata and the spec and status fields slim.ts reads, nothing else), so that slimming it
// again gives the same slim object. The snapshot command writes these: a file as small as the
// diagnosis allows, without the fields that hold secrets (env, command, probes' details, volumes).
// Absent and empty fields are left out (undefined is not written), as the API server's JSON does.

import type {
  ClusterObject,
  Container,
  ContainerStatus,
  EndpointAddress,
  EndpointSlice,
  Endpoints,
  Labels,
  Node,
  ObjectMeta,
  ObjectRef,
  Pod,
  Service,
} from '../core/objects.js';

type Raw = Record<string, unknown>;

const API_VERSIONS: Record<ClusterObject['kind'], string> = {
  Service: 'v1',
  Pod: 'v1',
  Endpoints: 'v1',
  Node: 'v1',
  EndpointSlice: 'discovery.k8s.io/v1',
};

export function rawObject(object: ClusterObject): Raw {
  const head = { apiVersion: API_VERSIONS[object.kind], kind: object.kind, metadata: rawMeta(object.meta) };
  switch (object.kind) {
    case 'Service':
      return { ...head, ...rawService(object) };
    case 'Pod':
      return { ...head, ...rawPod(object) };
    case 'EndpointSlice':
      return { ...head, ...rawEndpointSlice(object) };
    case 'Endpoints':
      return { ...head, subsets: nonEmpty(object.subsets.map(rawSubset)) };
    case 'Node':
      return { ...head, ...rawNode(object) };
  }
}

function nonEmpty<T>(items: T[]): T[] | undefined {
  return items.length > 0 ? items : undefined;
}

function nonEmptyMap(map: Labels): Labels | undefined {
  for (const _ in map) return map;
  return undefined;
}

function rawMeta(meta: ObjectMeta): Raw {
  return {
    name: meta.name,
    namespace: meta.namespace || undefined,
    uid: meta.uid,
    labels: nonEmptyMap(meta.labels),
    annotations: nonEmptyMap(meta.annotations),
    creationTimestamp: meta.creationTimestamp,
    deletionTimestamp: meta.deletionTimestamp,
  };
}

function rawRef(ref: ObjectRef | undefined): Raw | undefined {
  return ref && { kind: ref.kind || undefined, namespace: ref.namespace, name: ref.name, uid: ref.uid };
}

function rawService(s: Service): Raw {
  return {
    spec: {
      type: s.type,
      selector: s.selector ?? undefined,
      clusterIP: s.clusterIP,
      clusterIPs: nonEmpty(s.clusterIPs),
      ipFamilies: nonEmpty(s.ipFamilies),
      ports: nonEmpty(
        s.ports.map((p) => ({
          name: p.name || undefined,
          port: p.port,
          protocol: p.protocol,
          targetPort: p.targetPort,
          nodePort: p.nodePort,
        })),
      ),
      externalName: s.externalName,
      externalIPs: nonEmpty(s.externalIPs),
      publishNotReadyAddresses: s.publishNotReadyAddresses || undefined,
      // Cluster is what an absent policy reads as; the API server sets externalTrafficPolicy only on
      // NodePort and LoadBalancer Services, so only Local is written.
      internalTrafficPolicy: s.internalTrafficPolicy === 'Local' ? 'Local' : undefined,
      externalTrafficPolicy: s.externalTrafficPolicy === 'Local' ? 'Local' : undefined,
      loadBalancerClass: s.loadBalancerClass,
      trafficDistribution: s.trafficDistribution,
    },
    status:
      s.loadBalancerIngress.length > 0
        ? { loadBalancer: { ingress: s.loadBalancerIngress.map((i) => ({ ...i })) } }
        : undefined,
  };
}

function rawContainer(c: Container): Raw {
  return {
    name: c.name,
    ports: nonEmpty(c.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol }))),
    // Whether there is a probe is all the checks read; what it runs (and the headers it sends) is left out.
    readinessProbe: c.hasReadinessProbe ? {} : undefined,
    startupProbe: c.hasStartupProbe ? {} : undefined,
  };
}

function rawContainerStatus(s: ContainerStatus): Raw {
  const detail = { reason: s.reason, message: s.message, exitCode: s.exitCode };
  const last =
    s.lastTerminationReason !== undefined || s.lastExitCode !== undefined
      ? { terminated: { reason: s.lastTerminationReason, exitCode: s.lastExitCode } }
      : undefined;
  return {
    name: s.name,
    ready: s.ready,
    started: s.started,
    restartCount: s.restartCount,
    state: s.state === 'unknown' ? {} : { [s.state]: s.state === 'running' ? {} : detail },
    lastState: last,
  };
}

function rawPod(p: Pod): Raw {
  // Sidecars are the init containers with restartPolicy Always, in the order of initContainerNames.
  let next = 0;
  const initContainers = p.initContainerNames.map((name) => {
    const sidecar = p.sidecars[next];
    if (sidecar?.name !== name) return { name };
    next++;
    return { ...rawContainer(sidecar), restartPolicy: 'Always' };
  });
  return {
    spec: {
      nodeName: p.nodeName,
      hostname: p.hostname,
      subdomain: p.subdomain,
      containers: p.containers.map(rawContainer),
      initContainers: nonEmpty(initContainers),
      readinessGates: nonEmpty(p.readinessGates.map((conditionType) => ({ conditionType }))),
    },
    status: {
      phase: p.phase,
      reason: p.reason,
      podIP: p.podIPs[0],
      podIPs: nonEmpty(p.podIPs.map((ip) => ({ ip }))),
      conditions: nonEmpty(p.conditions.map((c) => ({ ...c }))),
      containerStatuses: nonEmpty(p.containerStatuses.map(rawContainerStatus)),
      initContainerStatuses: nonEmpty(p.initContainerStatuses.map(rawContainerStatus)),
    },
  };
}

function rawEndpointSlice(s: EndpointSlice): Raw {
  return {
    addressType: s.addressType || undefined,
    ports: nonEmpty(s.ports.map((p) => ({ name: p.name ?? undefined, port: p.port, protocol: p.protocol }))),
    endpoints: nonEmpty(
      s.endpoints.map((e) => ({
        addresses: e.addresses,
        conditions: { ...e.conditions },
        nodeName: e.nodeName,
        zone: e.zone,
        hints: e.hintZones.length > 0 ? { forZones: e.hintZones.map((name) => ({ name })) } : undefined,
        targetRef: rawRef(e.targetRef),
      })),
    ),
  };
}

function rawAddress(a: EndpointAddress): Raw {
  return { ip: a.ip, nodeName: a.nodeName, targetRef: rawRef(a.targetRef) };
}

function rawSubset(s: Endpoints['subsets'][number]): Raw {
  return {
    addresses: nonEmpty(s.addresses.map(rawAddress)),
    notReadyAddresses: nonEmpty(s.notReadyAddresses.map(rawAddress)),
    ports: nonEmpty(s.ports.map((p) => ({ name: p.name || undefined, port: p.port, protocol: p.protocol }))),
  };
}

function rawNode(n: Node): Raw {
  return {
    spec: {
      taints: nonEmpty(n.taints.map((t) => ({ ...t }))),
      unschedulable: n.unschedulable || undefined,
    },
    status: {
      conditions: [{ type: 'Ready', status: n.ready, message: n.readyMessage }],
      allocatable: n.allocatableCpuMillis === undefined ? undefined : { cpu: `${n.allocatableCpuMillis}m` },
    },
  };
}
