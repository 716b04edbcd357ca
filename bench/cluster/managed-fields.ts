// managedFields: the FieldsV1 set of an object's fields, keyed the way the API server keys lists.

import { isJsonObject } from '../../src/core/json-value.js';
import type { Raw } from '../../test/support/objects.js';

/** List fields whose items the server-side-apply schema merges by key; everything else is atomic. */
const LIST_KEYS: Record<string, (item: Raw) => Raw> = {
  containers: (i) => ({ name: i.name }),
  initContainers: (i) => ({ name: i.name }),
  env: (i) => ({ name: i.name }),
  volumes: (i) => ({ name: i.name }),
  volumeMounts: (i) => ({ mountPath: i.mountPath }),
  ports: (i) =>
    i.containerPort !== undefined
      ? { containerPort: i.containerPort, protocol: i.protocol ?? 'TCP' }
      : { port: i.port, protocol: i.protocol ?? 'TCP' },
  conditions: (i) => ({ type: i.type }),
  podIPs: (i) => ({ ip: i.ip }),
  hostIPs: (i) => ({ ip: i.ip }),
  ownerReferences: (i) => ({ uid: i.uid }),
  addresses: (i) => ({ type: i.type }),
};

export function fieldSet(value: Raw, skip: readonly string[] = []): Raw {
  const out: Raw = {};
  for (const [k, v] of Object.entries(value)) {
    if (skip.includes(k)) continue;
    out[`f:${k}`] = fieldValue(k, v);
  }
  return out;
}

export function fieldValue(name: string, v: unknown): Raw {
  if (Array.isArray(v)) {
    const key = LIST_KEYS[name];
    if (!key || v.length === 0 || typeof v[0] !== 'object') return {};
    const out: Raw = { '.': {} };
    for (const item of v as Raw[]) out[`k:${JSON.stringify(key(item))}`] = { '.': {}, ...fieldSet(item) };
    return out;
  }
  if (isJsonObject(v)) {
    const inner = fieldSet(v);
    return Object.keys(inner).length ? { '.': {}, ...inner } : {};
  }
  return {};
}

export function managedEntry(manager: string, time: string, fields: Raw, subresource?: string): Raw {
  return {
    manager,
    operation: 'Update',
    apiVersion: 'v1',
    time,
    fieldsType: 'FieldsV1',
    fieldsV1: fields,
    ...(subresource ? { subresource } : {}),
  };
}
