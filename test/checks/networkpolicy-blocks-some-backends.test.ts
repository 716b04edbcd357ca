import { networkpolicyBlocksSomeBackends } from '../../src/checks/networkpolicy-blocks-some-backends.js';
import { endpointOf, networkPolicy, pod, service, slice, type Raw } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

/** Service web (port 80, targetPort http) over these ready pods. */
function web(pods: Raw[]): Raw[] {
  const names = pods.map((p) => (p.metadata as { name: string }).name);
  return [service('web'), ...pods, slice('web', { endpoints: names.map((n) => endpointOf(n)) })];
}
const stable = pod('web-1');
const canary = pod('web-2', { labels: { app: 'web', track: 'canary' } });
const denyCanary = networkPolicy('deny-canary', { podSelector: { matchLabels: { track: 'canary' } } });
/** A pod whose port named http is 9090, not 8080. */
const onOtherPort = (name: string) =>
  pod(name, { containers: [{ name: 'app', image: 'shop/app:2', ports: [{ name: 'http', containerPort: 9090 }] }] });

ruleTester(networkpolicyBlocksSomeBackends, {
  valid: [
    {
      name: 'no policy (docs/kubernetes-semantics.md#isolation-and-policytypes)',
      objects: web([stable, canary]),
    },
    {
      name: 'every backend shut: networkpolicy-blocks-backends reports it (docs/kubernetes-semantics.md#networkpolicy)',
      objects: [...web([stable, canary]), networkPolicy('deny-all', {})],
    },
    {
      name: 'the canary is isolated but a rule admits 8080 on it (docs/kubernetes-semantics.md#isolation-and-policytypes)',
      objects: [
        ...web([stable, canary]),
        networkPolicy('canary', {
          podSelector: { matchLabels: { track: 'canary' } },
          ingress: [{ ports: [{ port: 8080 }] }],
        }),
      ],
    },
    {
      name: 'NetworkPolicies not read (docs/kubernetes-semantics.md#networkpolicy)',
      objects: [...web([stable, canary]), denyCanary],
      coverage: { networkPolicies: false },
    },
  ],
  invalid: [
    {
      name: 'a policy isolates the canary only, with no rule: half the connections fail (docs/kubernetes-semantics.md#isolation-and-policytypes)',
      objects: [...web([stable, canary]), denyCanary],
      findings: [
        {
          reason: 'someShut',
          port: 'http 80/TCP',
          message: [
            '1 of the 2 ready backends of http 80/TCP is isolated for ingress by NetworkPolicy deny-canary with no rule admitting 8080/TCP: about 50% of connections to the port are dropped',
            'if your network plugin enforces NetworkPolicy',
          ],
          pods: ['web-2'],
          fix: 'kubectl describe networkpolicy -n shop deny-canary',
        },
      ],
    },
    {
      name: 'a named targetPort resolving to 9090 on one pod, and a rule for 8080 only (docs/kubernetes-semantics.md#ports-and-protocols)',
      objects: [
        ...web([stable, onOtherPort('web-3')]),
        networkPolicy('allow-8080', { ingress: [{ ports: [{ port: 8080 }] }] }),
      ],
      findings: [{ reason: 'someShut', pods: ['web-3'], message: ['admitting 9090/TCP'] }],
    },
    {
      name: 'a hostNetwork backend gets no verdict and is said so (docs/kubernetes-semantics.md#networkpolicy-and-hostnetwork-pods)',
      objects: [...web([stable, pod('web-h', { spec: { hostNetwork: true } })]), networkPolicy('deny-all', {})],
      findings: [{ reason: 'someShut', pods: ['web-1'], message: ['1 is on the host network'] }],
    },
  ],
});
