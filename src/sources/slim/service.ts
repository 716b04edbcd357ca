// A Service: slimmed as the API server defaults it, and written back for the snapshot.

import type { Service, ServicePort, ServiceType } from '../../core/objects.js';
import {
  bool,
  checked,
  FieldError,
  fields,
  int,
  list,
  nonEmpty,
  protocol,
  slimMeta,
  str,
  stringMap,
  strings,
  typeName,
  type Raw,
} from './fields.js';

const SERVICE_TYPES: readonly string[] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

export const slimService = checked(function slimService(raw: Raw): Service {
  const meta = slimMeta(raw, true);
  const spec = fields(raw.spec, 'spec');
  const selector = stringMap(spec.selector, 'spec.selector');
  const type = str(spec.type, 'spec.type');
  const status = fields(raw.status, 'status');
  return {
    kind: 'Service',
    meta,
    type: type && SERVICE_TYPES.includes(type) ? (type as ServiceType) : 'ClusterIP',
    selector: Object.keys(selector).length > 0 ? selector : null,
    clusterIP: str(spec.clusterIP, 'spec.clusterIP'),
    clusterIPs: strings(spec.clusterIPs, 'spec.clusterIPs'),
    ipFamilies: strings(spec.ipFamilies, 'spec.ipFamilies').filter(
      (f): f is 'IPv4' | 'IPv6' => f === 'IPv4' || f === 'IPv6',
    ),
    ports: list(spec.ports, 'spec.ports', slimServicePort),
    externalName: str(spec.externalName, 'spec.externalName'),
    externalIPs: strings(spec.externalIPs, 'spec.externalIPs'),
    publishNotReadyAddresses: bool(spec.publishNotReadyAddresses, 'spec.publishNotReadyAddresses') === true,
    internalTrafficPolicy:
      str(spec.internalTrafficPolicy, 'spec.internalTrafficPolicy') === 'Local' ? 'Local' : 'Cluster',
    externalTrafficPolicy:
      str(spec.externalTrafficPolicy, 'spec.externalTrafficPolicy') === 'Local' ? 'Local' : 'Cluster',
    loadBalancerClass: str(spec.loadBalancerClass, 'spec.loadBalancerClass'),
    loadBalancerIngress: list(
      fields(status.loadBalancer, 'status.loadBalancer').ingress,
      'status.loadBalancer.ingress',
      (i) => ({
        ip: str(i.ip, 'ip'),
        hostname: str(i.hostname, 'hostname'),
        ipMode: str(i.ipMode, 'ipMode'),
      }),
    ),
    trafficDistribution: str(spec.trafficDistribution, 'spec.trafficDistribution'),
  };
});

function slimServicePort(p: Raw): ServicePort {
  const port = int(p.port, 'port') ?? 0;
  const target = p.targetPort;
  // SetDefaults_Service: a missing, 0 or "" targetPort becomes port. IntOrString: a number or a string.
  let targetPort: number | string;
  if (typeof target === 'number') targetPort = int(target, 'targetPort') || port;
  else if (typeof target === 'string')
    targetPort = target === '' ? port : /^\d+$/.test(target) ? Number(target) : target;
  else if (target === undefined || target === null) targetPort = port;
  else throw new FieldError('targetPort', 'a number or a string', typeName(target));
  const appProtocol = str(p.appProtocol, 'appProtocol');
  return {
    name: str(p.name, 'name') ?? '',
    port,
    protocol: protocol(p.protocol, 'protocol'),
    targetPort,
    nodePort: int(p.nodePort, 'nodePort'),
    // Only when set, so that ports without it compare and print as before.
    ...(appProtocol !== undefined ? { appProtocol } : {}),
  };
}

export function rawService(s: Service): Raw {
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
          appProtocol: p.appProtocol,
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
