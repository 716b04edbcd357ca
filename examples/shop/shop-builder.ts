// What each story adds its objects to the shop with.

import type { Raw } from '../../test/support/objects.js';
import { controllerObjects } from './endpoints.js';

export interface Shop {
  add: (...objects: Raw[]) => void;
  /** A Service with a selector, its pods, and what the controllers make of them. */
  workload: (svc: Raw, pods: Raw[], o?: Parameters<typeof controllerObjects>[2]) => void;
  /** Another Service selecting pods already added. */
  alsoSelects: (svc: Raw, pods: Raw[]) => void;
}

/** A Shop that adds to `objects`. */
export function shopAddingTo(objects: Raw[]): Shop {
  const add = (...o: Raw[]) => void objects.push(...o);
  return {
    add,
    workload: (svc, pods, o = {}) => add(svc, ...pods, ...controllerObjects(svc, pods, o)),
    alsoSelects: (svc, pods) => add(svc, ...controllerObjects(svc, pods)),
  };
}
