import { networkpolicyPortMismatch } from '../../src/checks/networkpolicy-port-mismatch.js';
import { endpointOf, networkPolicy, pod, service, slice, type Raw } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

function web(pods: Raw[] = [pod('web-1'), pod('web-2')], spec: Raw = {}): Raw[] {
  const names = pods.map((p) => (p.metadata as { name: string }).name);
  return [service('web', { spec }), ...pods, slice('web', { endpoints: names.map((n) => endpointOf(n)) })];
}
const onWeb = { matchLabels: { app: 'web' } };
const allowPorts = (ports: Raw[]) => networkPolicy('allow-web', { podSelector: onWeb, ingress: [{ ports }] });

ruleTester(networkpolicyPortMismatch, {
  valid: [
    {
      name: 'the rule admits the targetPort (docs/kubernetes-semantics.md#policies-see-pod-addresses-after-the-services-dnat)',
      objects: [...web(), allowPorts([{ port: 8080 }])],
    },
    {
      name: "the rule admits the targetPort's name (docs/kubernetes-semantics.md#ports-and-protocols)",
      objects: [...web(), allowPorts([{ port: 'http' }])],
    },
    {
      name: 'the rule admits 80 and 8080: 80 may be meant for something else (docs/kubernetes-semantics.md#ports-and-protocols)',
      objects: [...web(), allowPorts([{ port: 80 }, { port: 8080 }])],
    },
    {
      name: 'the pods also listen on 80: the rule may be meant for that (docs/kubernetes-semantics.md#ports-and-protocols)',
      objects: [
        ...web([
          pod('web-1', {
            containers: [
              {
                name: 'app',
                image: 'a',
                ports: [
                  { name: 'http', containerPort: 8080 },
                  { name: 'plain', containerPort: 80 },
                ],
              },
            ],
          }),
        ]),
        allowPorts([{ port: 80 }]),
      ],
    },
    {
      name: 'port equals targetPort: nothing to confuse (docs/kubernetes-semantics.md#policies-see-pod-addresses-after-the-services-dnat)',
      objects: [
        service('api', { ports: [{ name: 'http', port: 8080, targetPort: 8080 }] }),
        pod('web-1'),
        slice('api', { endpoints: [endpointOf('web-1')] }),
        allowPorts([{ port: 8080 }]),
      ],
    },
    {
      name: 'a headless Service is not translated: clients use the pods port themselves (docs/kubernetes-semantics.md#headless-services)',
      objects: [...web(undefined, { clusterIP: 'None', clusterIPs: ['None'] }), allowPorts([{ port: 80 }])],
    },
    {
      name: 'a named port the pods declare (docs/kubernetes-semantics.md#ports-and-protocols)',
      objects: [...web(), networkPolicy('deny-all', {}), allowPorts([{ port: 'http' }])],
    },
    {
      name: 'a named port no backend declares, but the port is admitted by another rule: not what shuts the Service (docs/kubernetes-semantics.md#ports-and-protocols)',
      objects: [
        ...web(),
        networkPolicy('allow-web', {
          podSelector: onWeb,
          ingress: [{ ports: [{ port: 'metrics' }] }, { ports: [{ port: 8080 }] }],
        }),
      ],
    },
    {
      name: 'NetworkPolicies not read (docs/kubernetes-semantics.md#networkpolicy)',
      objects: [...web(), allowPorts([{ port: 80 }])],
      coverage: { networkPolicies: false },
    },
  ],
  invalid: [
    {
      name: 'the classic mistake: the rule admits the Service port 80, the pods are reached on 8080 (docs/kubernetes-semantics.md#policies-see-pod-addresses-after-the-services-dnat)',
      objects: [...web(), allowPorts([{ port: 80 }])],
      findings: [
        {
          reason: 'servicePort',
          port: 'http 80/TCP',
          message: [
            "NetworkPolicy allow-web admits 80/TCP, the Service port of http 80/TCP, and not 8080/TCP, the port its pods are reached on after the Service's translation: the rule admits nothing the Service sends to 2 pods",
            'if your network plugin enforces NetworkPolicy',
          ],
          pods: ['web-1', 'web-2'],
          fix: 'kubectl edit networkpolicy allow-web -n shop',
        },
      ],
    },
    {
      name: 'a named port none of the backends declares, and the port is shut (docs/kubernetes-semantics.md#ports-and-protocols)',
      objects: [...web(), allowPorts([{ port: 'web' }])],
      findings: [
        {
          reason: 'namedPort',
          message: [
            'NetworkPolicy allow-web admits the named port web/TCP, which none of the 2 ready backends behind http 80/TCP that it selects declares',
            'the port is shut on 2 pods',
          ],
          pods: ['web-1', 'web-2'],
        },
      ],
    },
  ],
});
