// An Ingress (networking.k8s.io/v1): the Services its rules' paths and default backend name,
// with the port each names, its class, and the addresses its controller published in its status;
// written back for the snapshot.

import type { Ingress, IngressServiceBackend } from '../../core/objects.js';
import { checked, fields, int, list, slimMeta, str, type Raw } from './fields.js';

/** The legacy annotation that named the class before spec.ingressClassName (still honoured by most controllers). */
const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** A backend's Service, or undefined for a resource backend (or none). */
function slimBackend(value: unknown, field: string): IngressServiceBackend | undefined {
  const service = fields(fields(value, field).service, `${field}.service`);
  const name = str(service.name, `${field}.service.name`);
  if (name === undefined) return undefined;
  const port = fields(service.port, `${field}.service.port`);
  const portName = str(port.name, `${field}.service.port.name`);
  const portNumber = int(port.number, `${field}.service.port.number`);
  const named = portName ?? portNumber;
  return { service: name, ...(named !== undefined ? { port: named } : {}) };
}

export const slimIngress = checked(function slimIngress(raw: Raw): Ingress {
  // Only the class annotation is kept (and so written back): controllers' annotations may hold anything.
  const meta = slimMeta(raw, true, false);
  const annotations = fields(fields(raw.metadata, 'metadata').annotations, 'metadata.annotations');
  const spec = fields(raw.spec, 'spec');
  const className = str(spec.ingressClassName, 'spec.ingressClassName');
  const legacyClass =
    className === undefined
      ? str(annotations[LEGACY_CLASS_ANNOTATION], `metadata.annotations.${LEGACY_CLASS_ANNOTATION}`)
      : undefined;
  const defaultBackend = slimBackend(spec.defaultBackend, 'spec.defaultBackend');
  const status = fields(raw.status, 'status');
  return {
    kind: 'Ingress',
    meta: legacyClass !== undefined ? { ...meta, annotations: { [LEGACY_CLASS_ANNOTATION]: legacyClass } } : meta,
    ...(className !== undefined || legacyClass !== undefined ? { ingressClassName: className ?? legacyClass } : {}),
    legacyClassAnnotation: legacyClass !== undefined,
    ...(defaultBackend ? { defaultBackend } : {}),
    paths: list(spec.rules, 'spec.rules', (rule) => {
      const host = str(rule.host, 'host');
      return list(fields(rule.http, 'http').paths, 'http.paths', (p) => {
        const backend = slimBackend(p.backend, 'backend');
        return {
          ...(host !== undefined ? { host } : {}),
          path: str(p.path, 'path') ?? '/',
          ...(backend ? { backend } : {}),
        };
      });
    }).flat(),
    loadBalancerIngress: list(
      fields(status.loadBalancer, 'status.loadBalancer').ingress,
      'status.loadBalancer.ingress',
      (i) => {
        const ip = str(i.ip, 'ip');
        const hostname = str(i.hostname, 'hostname');
        return { ...(ip !== undefined ? { ip } : {}), ...(hostname !== undefined ? { hostname } : {}) };
      },
    ),
  };
});

function rawBackend(backend: IngressServiceBackend | undefined): Raw | undefined {
  if (!backend) return undefined;
  const port =
    backend.port === undefined
      ? undefined
      : typeof backend.port === 'number'
        ? { number: backend.port }
        : { name: backend.port };
  return { service: { name: backend.service, port } };
}

export function rawIngress(ingress: Ingress): Raw {
  // Paths of one host go back into one rule, in their order.
  const rules: { host?: string; http: { paths: Raw[] } }[] = [];
  for (const p of ingress.paths) {
    let rule = rules.at(-1);
    if (!rule || rule.host !== p.host) {
      rule = { host: p.host, http: { paths: [] } };
      rules.push(rule);
    }
    rule.http.paths.push({ path: p.path, pathType: 'Prefix', backend: rawBackend(p.backend) ?? {} });
  }
  return {
    spec: {
      ingressClassName: ingress.legacyClassAnnotation ? undefined : ingress.ingressClassName,
      defaultBackend: rawBackend(ingress.defaultBackend),
      rules: rules.length > 0 ? rules : undefined,
    },
    status:
      ingress.loadBalancerIngress.length > 0
        ? { loadBalancer: { ingress: ingress.loadBalancerIngress.map((i) => ({ ...i })) } }
        : undefined,
  };
}
