import { externalnameInvalid } from '../../src/checks/externalname-invalid.js';
import { apiserverObjects, service } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const ext = (externalName?: string) =>
  service('db', {
    type: 'ExternalName',
    selector: null,
    ports: [],
    spec: externalName === undefined ? {} : { externalName },
  });

ruleTester(externalnameInvalid, {
  valid: [
    {
      name: 'a lowercase DNS subdomain (docs/kubernetes-semantics.md#externalname-services)',
      objects: [ext('db.example.com')],
    },
    {
      name: 'one trailing dot is allowed: validation trims it (docs/kubernetes-semantics.md#externalname-services)',
      objects: [ext('db.example.com.')],
    },
    {
      name: 'an in-cluster name of another Service (docs/kubernetes-semantics.md#externalname-services)',
      objects: [ext('db.other.svc.cluster.local')],
    },
    {
      name: 'a single label is a valid subdomain (docs/kubernetes-semantics.md#externalname-services)',
      objects: [ext('localhost')],
    },
    {
      name: 'labels may start with a digit (RFC 1123, docs/kubernetes-semantics.md#externalname-services)',
      objects: [ext('1password.example.com')],
    },
    {
      name: 'a ClusterIP Service is not checked, whatever externalName holds (docs/kubernetes-semantics.md#externalname-services applies to ExternalName only)',
      objects: [service('web', { spec: { externalName: '10.0.0.5' } })],
    },
    {
      name: 'default/kubernetes produces no findings (docs/kubernetes-semantics.md#endpointslice-mirroring)',
      objects: apiserverObjects(),
    },
  ],
  invalid: [
    {
      name: 'an IPv4 address passes validation but is no CNAME target (docs/kubernetes-semantics.md#externalname-services, coredns#2324)',
      objects: [ext('10.0.0.5')],
      findings: [
        {
          reason: 'ipAddress',
          message: ['is the IP address 10.0.0.5'],
          fix: '"addressType":"IPv4","endpoints":[{"addresses":["10.0.0.5"]}]',
        },
      ],
    },
    {
      name: 'an IPv4 address with a trailing dot is still an IP (docs/kubernetes-semantics.md#externalname-services)',
      objects: [ext('10.0.0.5.')],
      findings: [{ reason: 'ipAddress', message: ['IP address 10.0.0.5.'] }],
    },
    {
      name: 'an IPv6 address (docs/kubernetes-semantics.md#externalname-services)',
      objects: [ext('2001:db8::5')],
      findings: [
        {
          reason: 'ipAddress',
          message: ['IP address 2001:db8::5'],
          fix: '"addressType":"IPv6","endpoints":[{"addresses":["2001:db8::5"]}]',
        },
      ],
    },
    {
      name: 'missing externalName: the API server requires it (docs/kubernetes-semantics.md#externalname-services)',
      objects: [ext()],
      findings: [{ reason: 'missing', message: ['spec.externalName is not set'] }],
    },
    {
      name: 'uppercase letters are rejected: the name must be lowercase (docs/kubernetes-semantics.md#externalname-services)',
      objects: [ext('DB.Example.com')],
      findings: [
        {
          reason: 'invalidName',
          message: ['"DB.Example.com"', 'not a valid lowercase RFC-1123 DNS subdomain', 'uppercase'],
        },
      ],
    },
    {
      name: 'a URL with a scheme is not a host name (docs/kubernetes-semantics.md#externalname-services)',
      objects: [ext('https://db.example.com')],
      findings: [{ reason: 'invalidName', message: ['URL scheme'] }],
    },
    {
      name: 'a host:port is not a host name (docs/kubernetes-semantics.md#externalname-services)',
      objects: [ext('db.example.com:5432')],
      findings: [{ reason: 'invalidName', message: ['carries a port'] }],
    },
    {
      name: 'an underscore is not allowed in RFC 1123 names (docs/kubernetes-semantics.md#externalname-services)',
      objects: [ext('my_db.example.com')],
      findings: [{ reason: 'invalidName', message: ["contains '_'"] }],
    },
    {
      name: 'two trailing dots: only one is trimmed (docs/kubernetes-semantics.md#externalname-services)',
      objects: [ext('db.example.com..')],
      findings: [{ reason: 'invalidName', message: ['not a valid lowercase RFC-1123 DNS subdomain'] }],
    },
    {
      name: 'a label may not end with a hyphen (docs/kubernetes-semantics.md#externalname-services)',
      objects: [ext('db-.example.com')],
      findings: [{ reason: 'invalidName', message: ['not a valid lowercase RFC-1123 DNS subdomain'] }],
    },
    {
      name: 'longer than 253 characters (docs/kubernetes-semantics.md#externalname-services)',
      objects: [ext(`${'a'.repeat(60)}.`.repeat(5) + 'com')],
      findings: [{ reason: 'invalidName', message: ['characters long (at most 253)'] }],
    },
  ],
});
