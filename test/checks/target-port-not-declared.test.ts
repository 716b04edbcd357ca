import { targetPortNotDeclared } from '../../src/checks/target-port-not-declared.js';
import { node, pod, service, type Raw } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const nodeA = node('node-a');

function withPorts(name: string, ports: Raw[], o: Record<string, unknown> = {}): Raw {
  return pod(name, { containers: [{ name: 'app', image: 'a', ports }], ...o });
}

const many = Array.from({ length: 25 }, (_, i) => `web-${String(i + 1).padStart(2, '0')}`);

const numeric = (targetPort: number, extra: Raw = {}) =>
  service('web', { ports: [{ name: 'http', port: 80, targetPort, ...extra }] });

ruleTester(targetPortNotDeclared, {
  valid: [
    {
      name: 'the numeric targetPort is declared',
      objects: [nodeA, numeric(8080), withPorts('web-1', [{ containerPort: 8080 }])],
    },
    {
      name: 'pods that declare no port at all: declaring is optional, nothing to compare with (docs/kubernetes-semantics.md#how-a-targetport-is-resolved)',
      objects: [nodeA, numeric(3000), withPorts('web-1', [])],
    },
    {
      name: 'a port declared on a native sidecar counts (docs/kubernetes-semantics.md#how-a-targetport-is-resolved)',
      objects: [
        nodeA,
        numeric(15001),
        pod('web-1', {
          initContainers: [{ name: 'proxy', image: 'p', restartPolicy: 'Always', ports: [{ containerPort: 15001 }] }],
        }),
      ],
    },
    {
      name: "a named targetPort is target-port-unresolved's business",
      objects: [nodeA, service('web', { ports: [{ name: 'http', port: 80, targetPort: 'nope' }] }), pod('web-1')],
    },
    {
      name: 'headless: targetPort is ignored for clusterIP None (docs/kubernetes-semantics.md#targetport-defaulting-and-validation)',
      objects: [
        nodeA,
        service('db', { spec: { clusterIP: 'None', clusterIPs: ['None'] }, ports: [{ port: 5432 }] }),
        withPorts('web-1', [{ containerPort: 8080 }]),
      ],
    },
    {
      name: 'pods the controller does not list do not count (docs/kubernetes-semantics.md#which-pods-become-endpoints)',
      objects: [
        nodeA,
        numeric(8080),
        withPorts('web-1', [{ containerPort: 8080 }]),
        withPorts('web-old', [{ containerPort: 80 }], { phase: 'Failed', ready: false }),
      ],
    },
    {
      name: 'ExternalName (docs/kubernetes-semantics.md#externalname-services)',
      objects: [
        nodeA,
        service('db', { type: 'ExternalName', spec: { externalName: 'db.example.com' }, ports: [{ port: 5432 }] }),
        withPorts('web-1', [{ containerPort: 80 }]),
      ],
    },
  ],
  invalid: [
    {
      name: 'a numeric targetPort the containers do not declare: info, never more (docs/kubernetes-semantics.md#how-a-targetport-is-resolved)',
      objects: [
        nodeA,
        numeric(3000),
        withPorts('web-1', [{ name: 'http', containerPort: 8080 }]),
        withPorts('web-2', [{ name: 'http', containerPort: 8080 }]),
      ],
      findings: [
        {
          reason: 'notDeclaredByAny',
          severity: 'info',
          port: 'http 80/TCP',
          message: [
            'targetPort 3000 of http 80/TCP',
            'not declared by any container (2 pods checked; they declare 8080/TCP)',
            '8080/TCP',
            'declaring is optional',
          ],
          pods: ['web-1', 'web-2'],
          causes: { 'web-1': 'declares 8080/TCP, not 3000/TCP' },
          fix: `kubectl patch service web -n shop --type=json -p '[{"op":"replace","path":"/spec/ports/0/targetPort","value":8080}]'`,
        },
      ],
    },
    {
      name: 'an omitted targetPort is port, and that is checked (docs/kubernetes-semantics.md#targetport-defaulting-and-validation)',
      objects: [
        nodeA,
        service('web', { ports: [{ name: 'http', port: 80 }] }),
        withPorts('web-1', [{ containerPort: 8080 }]),
      ],
      findings: [{ reason: 'notDeclaredByAny', severity: 'info', message: ['targetPort 80 of http 80/TCP'] }],
    },
    {
      name: 'declared with another protocol only (docs/kubernetes-semantics.md#how-a-targetport-is-resolved: protocol is part of the port)',
      objects: [
        nodeA,
        service('dns', { ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }] }),
        withPorts('web-1', [{ containerPort: 53 }]),
      ],
      findings: [
        {
          reason: 'notDeclaredByAny',
          severity: 'info',
          port: 'dns 53/UDP',
          message: ['only with another protocol than UDP'],
        },
      ],
    },
    {
      name: 'some pods declare it and some do not: those are listed',
      objects: [
        nodeA,
        numeric(8080),
        withPorts('web-1', [{ containerPort: 8080 }]),
        withPorts('web-2', [{ containerPort: 9000 }, { containerPort: 9001 }]),
      ],
      findings: [
        {
          reason: 'notDeclaredBySome',
          message: ['not declared on 1 of the 2 pods that declare ports (they declare 9000/TCP, 9001/TCP)'],
          pods: ['web-2'],
          fix: "kubectl get pod web-2 -n shop -o 'jsonpath={.spec.containers[*].ports}'",
        },
      ],
    },
    {
      name: 'long pod lists are capped at 20, the message gives the total',
      objects: [nodeA, numeric(8080), ...many.map((name) => withPorts(name, [{ containerPort: 9000 }]))],
      findings: [
        {
          reason: 'notDeclaredByAny',
          message: ['(25 pods checked; they declare 9000/TCP)', 'else connections are refused (first 20 listed)'],
          pods: many.slice(0, 20),
        },
      ],
    },
  ],
});
