// Each kind of core/kinds.ts with its slimming function (sources/slim/<kind>.ts): raw Kubernetes
// JSON, from the API or a snapshot file, becomes the slim model object as it arrives, and a slim
// object is written back as Kubernetes JSON (apiVersion, kind, metadata and only the fields the
// slimming reads), so that the snapshot command writes a file as small as the diagnosis allows,
// without the fields that hold secrets, and slimming it again gives the same object.

import { apiVersionOf, KINDS, type KindSpec, type KnownKind } from '../core/kinds.js';
import type { ClusterObject } from '../core/objects.js';
import { rawEndpointSlice, slimEndpointSlice } from './slim/endpoint-slice.js';
import { rawEndpoints, slimEndpoints } from './slim/endpoints.js';
import { rawEvent, slimEvent } from './slim/event.js';
import { rawMeta, SlimError, type Raw } from './slim/fields.js';
import { rawIngress, slimIngress } from './slim/ingress.js';
import {
  rawAPIService,
  rawWebhookConfiguration,
  slimAPIService,
  slimMutatingWebhookConfiguration,
  slimValidatingWebhookConfiguration,
} from './slim/admission.js';
import {
  rawGateway,
  rawReferenceGrant,
  rawRoute,
  slimGateway,
  slimReferenceGrant,
  slimRouteOf,
} from './slim/gateway.js';
import { rawNamespace, rawNetworkPolicy, slimNamespace, slimNetworkPolicy } from './slim/network-policy.js';
import { rawNode, slimNode } from './slim/node.js';
import { rawPod, slimPod } from './slim/pod.js';
import { rawService, slimService } from './slim/service.js';
import {
  rawDaemonSet,
  rawDeployment,
  rawReplicaSet,
  rawStatefulSet,
  slimDaemonSet,
  slimDeployment,
  slimReplicaSet,
  slimStatefulSet,
} from './slim/workloads.js';

export { setOwnKey, SlimError } from './slim/fields.js';

/** A kind as the sources read and write it: its declaration, and how its objects are slimmed and written back. */
export interface SourceKind extends KindSpec {
  /** Raw JSON to the slim object; throws SlimError for an object no check can use. */
  slim(raw: Raw): ClusterObject;
  /** The slim object's own fields as Kubernetes JSON: all but apiVersion, kind and metadata. */
  unslim(object: ClusterObject): Raw;
}

type ObjectOf<K extends KnownKind> = Extract<ClusterObject, { kind: K }>;

/** Every kind of the table needs both functions, and a slim type of its own, or this does not compile. */
const CODECS: { [K in KnownKind]: { slim(raw: Raw): ObjectOf<K>; unslim(object: ObjectOf<K>): Raw } } = {
  Service: { slim: slimService, unslim: rawService },
  Endpoints: { slim: slimEndpoints, unslim: rawEndpoints },
  EndpointSlice: { slim: slimEndpointSlice, unslim: rawEndpointSlice },
  Pod: { slim: slimPod, unslim: rawPod },
  Node: { slim: slimNode, unslim: rawNode },
  Event: { slim: slimEvent, unslim: rawEvent },
  Deployment: { slim: slimDeployment, unslim: rawDeployment },
  ReplicaSet: { slim: slimReplicaSet, unslim: rawReplicaSet },
  StatefulSet: { slim: slimStatefulSet, unslim: rawStatefulSet },
  DaemonSet: { slim: slimDaemonSet, unslim: rawDaemonSet },
  Ingress: { slim: slimIngress, unslim: rawIngress },
  ValidatingWebhookConfiguration: { slim: slimValidatingWebhookConfiguration, unslim: rawWebhookConfiguration },
  MutatingWebhookConfiguration: { slim: slimMutatingWebhookConfiguration, unslim: rawWebhookConfiguration },
  APIService: { slim: slimAPIService, unslim: rawAPIService },
  HTTPRoute: { slim: slimRouteOf('HTTPRoute'), unslim: rawRoute },
  GRPCRoute: { slim: slimRouteOf('GRPCRoute'), unslim: rawRoute },
  TCPRoute: { slim: slimRouteOf('TCPRoute'), unslim: rawRoute },
  TLSRoute: { slim: slimRouteOf('TLSRoute'), unslim: rawRoute },
  UDPRoute: { slim: slimRouteOf('UDPRoute'), unslim: rawRoute },
  ReferenceGrant: { slim: slimReferenceGrant, unslim: rawReferenceGrant },
  Gateway: { slim: slimGateway, unslim: rawGateway },
  NetworkPolicy: { slim: slimNetworkPolicy, unslim: rawNetworkPolicy },
  Namespace: { slim: slimNamespace, unslim: rawNamespace },
};

/** The kinds endpoints-doctor reads, in the table's order; anything else in an input is skipped with a note. */
export const SOURCE_KINDS: readonly SourceKind[] = KINDS.map((kind) => ({
  ...kind,
  // unslim is only given objects of its own kind: rawObject finds it by the object's kind.
  ...(CODECS[kind.kind] as Pick<SourceKind, 'slim' | 'unslim'>),
}));

const SOURCE_KIND_BY_NAME = new Map<string, SourceKind>(SOURCE_KINDS.map((kind) => [kind.kind, kind]));

/** `raw` as an object of `kind`; a SlimError names the object when its metadata allows. */
export function slimAs(kind: SourceKind, raw: Raw): ClusterObject {
  try {
    return kind.slim(raw);
  } catch (e) {
    if (e instanceof SlimError && e.object === undefined)
      throw new SlimError(e.problem, describeObject(kind.kind, raw));
    throw e;
  }
}

export function slimObject(kind: KnownKind, raw: Raw): ClusterObject {
  return slimAs(SOURCE_KIND_BY_NAME.get(kind)!, raw);
}

/** A slim object of `kind` as Kubernetes JSON, for the snapshot. */
export function rawAs(kind: SourceKind, object: ClusterObject): Raw {
  return { apiVersion: apiVersionOf(kind), kind: object.kind, metadata: rawMeta(object.meta), ...kind.unslim(object) };
}

export function rawObject(object: ClusterObject): Raw {
  return rawAs(SOURCE_KIND_BY_NAME.get(object.kind)!, object);
}

/** "Service shop/web", or the kind alone when the name cannot be read. */
function describeObject(kind: string, raw: Raw): string {
  const meta = raw.metadata as Raw | undefined;
  const name = meta?.name;
  if (typeof name !== 'string' || name === '') return kind;
  const namespace = meta?.namespace;
  return `${kind} ${typeof namespace === 'string' && namespace !== '' ? `${quoteName(namespace)}/` : ''}${quoteName(name)}`;
}

/** A name as a message shows it: JSON-quoted (control characters escaped) unless it is plain name characters. */
export function quoteName(name: string): string {
  return /^[-A-Za-z0-9_.]+$/.test(name) ? name : JSON.stringify(name);
}
