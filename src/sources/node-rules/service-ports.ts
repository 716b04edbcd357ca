// Small pieces the rule readers share: the error for unreadable dumps, Service port identities and
// de-duplicated frontends and verdicts.
import { InputError } from '../../core/errors.js';
import type {
  FrontendKind,
  IPFamily,
  ProgrammedFrontend,
  ProgrammedServicePort,
  Protocol,
  ServicePortRef,
} from './types.js';

/** A rule dump that cannot be read. The message names the input and says what to provide instead. */
export class DataplaneInputError extends InputError {}

/** "ns/name:portName" or "ns/name" (kube-proxy's comment form) → its parts; undefined for anything else. */
export function parseServicePortString(text: string): ServicePortRef | undefined {
  const match = /^([a-z0-9][-a-z0-9]*)\/([a-z0-9][-a-z0-9.]*)(?::(.+))?$/.exec(text);
  if (!match) return undefined;
  return { namespace: match[1], name: match[2], portName: match[3] ?? '' };
}

export function toProtocol(text: string | undefined): Protocol | undefined {
  const upper = text?.toUpperCase();
  return upper === 'TCP' || upper === 'UDP' || upper === 'SCTP' ? upper : undefined;
}

/** Shares are rounded so that iptables' 10-11 printed decimals compare equal to 1/n. */
export function roundShare(share: number): number {
  return Math.round(share * 1e6) / 1e6;
}

/** Adds a frontend unless the same address is already listed; a known kind replaces an ambiguous one. */
export function addFrontend(port: ProgrammedServicePort, frontend: ProgrammedFrontend): void {
  const same = port.frontends.find(
    (f) =>
      f.ip === frontend.ip && f.port === frontend.port && (f.kind === 'node-port') === (frontend.kind === 'node-port'),
  );
  if (!same) {
    port.frontends.push(frontend);
  } else if (same.kindAmbiguous && !frontend.kindAmbiguous) {
    same.kind = frontend.kind;
    delete same.kindAmbiguous;
  }
}

export function addVerdict(port: ProgrammedServicePort, frontend: FrontendKind, verdict: 'reject' | 'drop'): void {
  if (!port.verdicts.some((v) => v.frontend === frontend && v.verdict === verdict))
    port.verdicts.push({ frontend, verdict });
}

/** Strips the /32 or /128 that iptables-save prints on host addresses. */
export function hostAddress(cidr: string): string {
  return cidr.replace(/\/(32|128)$/, '');
}

/** "10.0.0.1:80" or "[fd00::1]:80" → ip and port. */
export function parseHostPort(text: string): { ip: string; port: number } | undefined {
  const match = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(text) ?? /^([0-9.]+):(\d+)$/.exec(text);
  return match ? { ip: match[1], port: Number(match[2]) } : undefined;
}

/** A Service port with nothing read for it yet. */
export function emptyServicePort(protocol: Protocol, family: IPFamily): ProgrammedServicePort {
  return { protocol, family, frontends: [], endpoints: [], verdicts: [], masquerade: false, rules: [] };
}
