// How kube-apiserver calls a Service that an admission webhook or an APIService names, and why
// the call fails: the Service or its port is not there, it is headless, or the port has no ready
// endpoint (docs/kubernetes-semantics.md#admission-webhooks). An ExternalName Service is called
// at its external name, which has no endpoints to judge.

import type { Service, ServicePort } from '../core/objects.js';
import type { ClusterModel } from './cluster.js';
import { describeServicePort } from './ports.js';
import { referencedPort, type ServiceReference } from './references.js';
import { readyBackendsOnPort, viewService } from './service-view.js';
import { isHeadless } from './services.js';

export type CallFailure =
  | { problem: 'serviceMissing' }
  | { problem: 'portMissing'; port: number | string; ports: string }
  | { problem: 'headless' }
  | { problem: 'noReadyEndpoint'; port: ServicePort };

/** Why kube-apiserver cannot call the Service the reference names; undefined when it can (or cannot tell). */
export function apiServerCallFailure(
  reference: ServiceReference,
  service: Service | undefined,
  model: ClusterModel,
): CallFailure | undefined {
  if (!service) return { problem: 'serviceMissing' };
  if (service.type === 'ExternalName') return undefined;
  if (isHeadless(service)) return { problem: 'headless' };
  const port = referencedPort(reference, service.ports);
  if (!port) {
    return {
      problem: 'portMissing',
      port: reference.port ?? reference.defaultPort ?? '',
      ports: service.ports.map(describeServicePort).join(', ') || 'none',
    };
  }
  // Without EndpointSlices or Pods the endpoints are not known: nothing is guessed.
  if (!model.coverage.endpointSlices && !model.coverage.pods) return undefined;
  const view = viewService(model, service);
  return readyBackendsOnPort(view, port) === 0 ? { problem: 'noReadyEndpoint', port } : undefined;
}

/** What a finding's text says of the failure: the port asked for and the Service's ports, or the port without a ready endpoint. */
export function failureData(failure: CallFailure): Record<string, string | number> {
  if (failure.problem === 'portMissing') return { port: failure.port, ports: failure.ports };
  if (failure.problem === 'noReadyEndpoint') return { servicePort: describeServicePort(failure.port) };
  return {};
}
