// A Node: readiness, taints and allocatable CPU, and written back for the snapshot.

import type { Node } from '../../core/objects.js';
import { checked, FieldError, fields, list, nonEmpty, slimMeta, str, typeName, type Raw } from './fields.js';

export const slimNode = checked(function slimNode(raw: Raw): Node {
  const meta = slimMeta(raw, false, false);
  const spec = fields(raw.spec, 'spec');
  const status = fields(raw.status, 'status');
  const conditions = list(status.conditions, 'status.conditions', (c) => ({
    type: str(c.type, 'type'),
    status: str(c.status, 'status'),
  }));
  const ready = conditions.find((c) => c.type === 'Ready');
  const cpu = fields(status.allocatable, 'status.allocatable').cpu;
  if (cpu !== undefined && cpu !== null && typeof cpu !== 'string' && typeof cpu !== 'number') {
    throw new FieldError('status.allocatable.cpu', 'a quantity (a string or a number)', typeName(cpu));
  }
  return {
    kind: 'Node',
    meta,
    ready: ready?.status ?? 'Unknown',
    taints: list(spec.taints, 'spec.taints', (t) => ({
      key: str(t.key, 'key') ?? '',
      effect: str(t.effect, 'effect') ?? '',
    })),
    allocatableCpuMillis: cpuMillis(cpu),
  };
});

const DECIMAL_SUFFIX: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const BINARY_SUFFIX: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A CPU quantity ("4", "3500m", "0.5", 2) in millicores; undefined when it is not a quantity. */
function cpuMillis(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\+?(\d+(?:\.\d*)?|\.\d+)(m|[kMGTPE]|[KMGTPE]i)?$/.exec(value.trim());
  if (!m) return undefined;
  const number = Number(m[1]);
  const suffix = m[2] ?? '';
  if (suffix === 'm') return Math.round(number);
  const factor = DECIMAL_SUFFIX[suffix] ?? BINARY_SUFFIX[suffix];
  return factor === undefined ? undefined : Math.round(number * factor * 1000);
}

export function rawNode(n: Node): Raw {
  return {
    spec: {
      taints: nonEmpty(n.taints.map((t) => ({ ...t }))),
    },
    status: {
      conditions: [{ type: 'Ready', status: n.ready }],
      allocatable: n.allocatableCpuMillis === undefined ? undefined : { cpu: `${n.allocatableCpuMillis}m` },
    },
  };
}
