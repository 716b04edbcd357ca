// Services as the API server stores them: ClusterIPs derived from the name, dual-stack or headless.

import { type Raw, service } from '../../test/support/objects.js';
import { requiredObject } from '../../test/support/required-fields.js';
import { digest, uid } from './ids.js';
import { appLabels } from './pods.js';

interface ServiceDef {
  ns?: string;
  name: string;
  created: string;
  /** Default app.kubernetes.io/name: <name>; null for none. */
  selector?: Record<string, string> | null;
  ports: Raw[];
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ip?: 'single' | 'dual' | 'headless';
  /** A fixed ClusterIP, for well-known Services. */
  clusterIP?: string;
  spec?: Raw;
}

export function buildService(d: ServiceDef): Raw {
  const ns = d.ns ?? 'shop';
  const type = d.type ?? 'ClusterIP';
  const h = digest(`clusterip/${ns}/${d.name}`);
  const ip4 = d.clusterIP ?? `10.${96 + (h[0] % 16)}.${h[1]}.${1 + (h[2] % 254)}`;
  const ip6 = `fd00:10:96::${h.readUInt16BE(3).toString(16)}`;
  const addressing: Raw =
    type === 'ExternalName'
      ? {}
      : d.ip === 'headless'
        ? { clusterIP: 'None', clusterIPs: ['None'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' }
        : d.ip === 'dual'
          ? { clusterIP: ip4, clusterIPs: [ip4, ip6], ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack' }
          : { clusterIP: ip4, clusterIPs: [ip4], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' };
  const raw = service(d.name, {
    ns,
    type,
    selector: d.selector === undefined ? appLabels(d.name) : d.selector,
    ports: d.ports,
    labels: d.labels ?? appLabels(d.name),
    ...(d.annotations ? { annotations: d.annotations } : {}),
    spec: {
      ...addressing,
      ...(type === 'NodePort' || type === 'LoadBalancer' ? { externalTrafficPolicy: 'Cluster' } : {}),
      ...d.spec,
    },
    status: { loadBalancer: {} },
  });
  Object.assign(requiredObject(raw, 'metadata'), { uid: uid(`svc/${ns}/${d.name}`), creationTimestamp: d.created });
  return raw;
}

export function port(name: string, number: number, targetPort: string | number, extra: Raw = {}): Raw {
  return { name, port: number, protocol: 'TCP', targetPort, ...extra };
}

export const HTTP = port('http', 80, 'http');
