import { isIP } from 'node:net';
import { applySlice, patchService } from './helpers.js';
import type { Check, FindingDraft } from './types.js';

// IsDNS1123Subdomain (k8s.io/apimachinery validation): at most 253 characters of lowercase
// alphanumerics, '-' and '.', each dot-separated part starting and ending alphanumeric.
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_SUBDOMAIN_MAX = 253;

/** Why a value is not a valid externalName, in words; undefined when it is valid. */
function subdomainProblem(value: string): string | undefined {
  // ValidateService trims one trailing dot before validating.
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name.length > DNS1123_SUBDOMAIN_MAX)
    return `it is ${name.length} characters long (at most ${DNS1123_SUBDOMAIN_MAX})`;
  if (DNS1123_SUBDOMAIN.test(name)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) return 'it carries a URL scheme; externalName is a bare host name';
  if (/:\d+$/.test(name)) return 'it carries a port; externalName is a bare host name (clients choose the port)';
  if (/\//.test(name)) return 'it carries a path; externalName is a bare host name';
  if (DNS1123_SUBDOMAIN.test(name.toLowerCase())) return 'it has uppercase letters; it must be lowercase';
  if (/_/.test(name)) return "it contains '_', which RFC 1123 host names do not allow";
  if (name === '') return 'it is only a dot';
  return "it must be lowercase letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit";
}

function stripHost(value: string): string {
  const trimmed = value.endsWith('.') ? value.slice(0, -1) : value;
  return trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
}

/**
 * Why spec.externalName gives no usable CNAME, or undefined when it is a valid DNS name: missing,
 * an IP address (valid as a name but not a useful CNAME target, docs/kubernetes-semantics.md#externalname-services), or not a DNS-1123 subdomain.
 * The one test both ExternalName checks use.
 */
export type ExternalNameProblem =
  { kind: 'missing' } | { kind: 'ip'; host: string; family: 'IPv4' | 'IPv6' } | { kind: 'invalid'; reason: string };

export function externalNameProblem(value: string | undefined): ExternalNameProblem | undefined {
  if (value === undefined) return { kind: 'missing' };
  const host = stripHost(value);
  const v = isIP(host);
  if (v !== 0) return { kind: 'ip', host, family: v === 6 ? 'IPv6' : 'IPv4' };
  const reason = subdomainProblem(value);
  return reason ? { kind: 'invalid', reason } : undefined;
}

export const externalnameInvalid: Check = {
  id: 'externalname-invalid',
  severity: 'error',
  title: 'spec.externalName is missing, an IP address, or not a valid DNS name',
  explanation:
    'An ExternalName Service answers DNS queries with a CNAME to spec.externalName. The API server requires it and ' +
    'validates it as a lowercase RFC-1123 DNS subdomain (one trailing dot allowed). An IP address passes that ' +
    'validation, since it is also a valid DNS name, but a CNAME to "10.0.0.5" points at a host name nobody resolves.',
  fix:
    'Set spec.externalName to the external host name (lowercase, no scheme, port or path). For a fixed IP, use a ' +
    'selectorless Service with an EndpointSlice that lists the IP.',
  run(view) {
    const { service } = view;
    if (service.type !== 'ExternalName') return [];
    const value = service.externalName;
    const problem = externalNameProblem(value);
    if (!problem) return [];
    if (problem.kind === 'missing') {
      return [
        {
          message:
            'spec.externalName is not set: the API server requires it for type ExternalName, and there is no CNAME to return',
          fix: `${patchService(service, { spec: { externalName: 'db.example.com' } })} (your host name)`,
        },
      ];
    }
    if (problem.kind === 'ip') {
      const draft: FindingDraft = {
        message:
          `spec.externalName is the IP address ${value}: DNS returns a CNAME to a host named "${value}", which does not resolve ` +
          `to that address (coredns/coredns#2324)`,
        fix:
          'use a selectorless Service backed by an EndpointSlice: set type ClusterIP without a selector, then create ' +
          'the slice (fill in the <...>): ' +
          applySlice(service, {
            addressType: problem.family,
            address: problem.host,
            portName: '<Service port name, or empty>',
            port: '<port>',
            protocol: 'TCP',
          }),
      };
      return [draft];
    }
    return [
      {
        message: `spec.externalName ${JSON.stringify(value)} is not a valid lowercase RFC-1123 DNS subdomain: ${problem.reason}; the API server rejects it`,
        fix: `set the bare host name: ${patchService(service, { spec: { externalName: '<host.example.com>' } })}`,
      },
    ];
  },
};
