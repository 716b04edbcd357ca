import { describeServicePort } from '../model/ports.js';
import { formatLabels } from '../model/selectors.js';
import type { Check } from './types.js';

export const externalnameNoEndpoints: Check = {
  id: 'externalname-no-endpoints',
  severity: 'info',
  title: 'An ExternalName Service has no endpoints by design',
  explanation:
    'An ExternalName Service is a DNS CNAME to spec.externalName. Neither the EndpointSlice controller nor the ' +
    'Endpoints controller gives it endpoints, and kube-proxy does not proxy it: clients resolve the name and connect ' +
    'to the external host directly, on the port they dial. spec.selector is ignored, and spec.ports are not used ' +
    'for proxying (no port or targetPort translation).',
  fix:
    'Nothing to fix when a CNAME is what you want. To send traffic to pods, use type ClusterIP with a selector; to ' +
    'a fixed IP, use a selectorless Service with an EndpointSlice.',
  run(view) {
    const { service } = view;
    if (service.type !== 'ExternalName') return [];
    const target = service.externalName
      ? `a DNS CNAME to ${service.externalName}`
      : 'a DNS CNAME (but spec.externalName is not set)';
    let message = `an ExternalName Service is ${target}: it has no endpoints by design and kube-proxy does not proxy it`;
    const ignored: string[] = [];
    if (service.selector)
      ignored.push(`its selector ${formatLabels(service.selector)} is ignored (no pods are selected)`);
    if (service.ports.length > 0) {
      const ports = service.ports.map(describeServicePort).join(', ');
      ignored.push(
        `its ports (${ports}) are not proxied: clients connect to ${service.externalName ?? 'the external name'} on the port they dial, targetPort has no effect`,
      );
    }
    if (ignored.length > 0) message += `; ${ignored.join('; ')}`;
    const ns = service.meta.namespace;
    const fix = service.selector
      ? `the selector does nothing on an ExternalName Service; remove it to avoid confusion: kubectl patch service ${service.meta.name} -n ${ns} --type=json -p '[{"op":"remove","path":"/spec/selector"}]'`
      : undefined;
    return [{ message, ...(fix ? { fix } : {}) }];
  },
};
