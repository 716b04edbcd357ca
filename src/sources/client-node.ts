// @kubernetes/client-node, loaded only where it is needed (its import alone costs most of a
// second: README, Performance), through this one door.
//
// client-node sends through node-fetch 2, which calls url.parse(): Node.js 24 warns about that
// on stderr (DEP0169, https://nodejs.org/api/deprecations.html#DEP0169), where the user of the
// plugin can do nothing about it. That one warning is dropped once client-node is loaded; every
// other warning still shows.

import { stringAt } from '../core/json-value.js';

type ClientNode = typeof import('@kubernetes/client-node');

let loaded: Promise<ClientNode> | undefined;

export function clientNode(): Promise<ClientNode> {
  if (!loaded) {
    dropUrlParseDeprecation();
    loaded = import('@kubernetes/client-node');
  }
  return loaded;
}

function dropUrlParseDeprecation(): void {
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
    // emitWarning(warning, type, code) or emitWarning(warning, { type, code }).
    const [typeOrOptions, code] = rest;
    const options = typeof typeOrOptions === 'object' && typeOrOptions !== null ? typeOrOptions : undefined;
    if ((options && 'code' in options ? options.code : code) === 'DEP0169') return;
    emitWarning(warning, ...rest);
  };
}

/** The HTTP status of an error client-node threw for an API answer. */
export function apiCode(e: unknown): number | undefined {
  return (e as { code?: number }).code;
}

/** The API server's message in an error client-node threw (the Status body's), else the error's own. */
export function apiMessage(e: unknown): string {
  const err = e as { body?: unknown; message?: string };
  try {
    const body = typeof err.body === 'string' ? (JSON.parse(err.body) as unknown) : err.body;
    return stringAt(body, 'message') ?? err.message ?? String(e);
  } catch {
    return err.message ?? String(e);
  }
}
