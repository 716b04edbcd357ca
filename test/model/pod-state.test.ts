import { describe, expect, it } from 'vitest';
import { isPodReady, notReadyCause, podEndpointState } from '../../src/model/pod-state.js';
import { serviceFamilies } from '../../src/model/services.js';
import { slimNode } from '../../src/sources/slim/node.js';
import { slimPod } from '../../src/sources/slim/pod.js';
import { slimService } from '../../src/sources/slim/service.js';
import { node, pod, service, type PodOptions, type Raw, type ServiceOptions } from '../support/objects.js';

const nodeA = slimNode(node('node-a'));

function state(p: PodOptions, s: ServiceOptions = {}, n: Raw | null = node('node-a'), nodesKnown = true) {
  return podEndpointState(
    slimPod(pod('web-1', p)),
    slimService(service('web', s)),
    n ? slimNode(n) : undefined,
    nodesKnown,
  );
}

function cause(p: PodOptions, n: Raw = node('node-a')): string {
  return notReadyCause(slimPod(pod('web-1', p)), slimNode(n));
}

describe('isPodReady (docs/kubernetes-semantics.md#endpoint-conditions-and-fields: the Ready condition only)', () => {
  it('Ready=True is ready', () => expect(isPodReady(slimPod(pod('a')))).toBe(true));
  it('Ready=False is not', () => expect(isPodReady(slimPod(pod('a', { ready: false })))).toBe(false));
  it('no Ready condition is not ready', () =>
    expect(isPodReady(slimPod(pod('a', { conditions: [{ type: 'ContainersReady', status: 'True' }] })))).toBe(false));
  it('ContainersReady=True alone is not enough (docs/kubernetes-semantics.md#pod-readiness)', () =>
    expect(
      isPodReady(
        slimPod(
          pod('a', {
            conditions: [
              { type: 'ContainersReady', status: 'True' },
              { type: 'Ready', status: 'False' },
            ],
          }),
        ),
      ),
    ).toBe(false));
});

describe('podEndpointState: inclusion (docs/kubernetes-semantics.md#which-pods-become-endpoints)', () => {
  it('a running ready pod is a ready endpoint with no cause', () => {
    expect(state({})).toEqual({
      shouldBeListed: true,
      ready: true,
      serving: true,
      terminating: false,
      cause: undefined,
    });
  });
  it('Succeeded pods are never endpoints', () => {
    const s = state({ phase: 'Succeeded', ready: false });
    expect(s.shouldBeListed).toBe(false);
    expect(s.cause).toContain('finished (phase Succeeded)');
  });
  it('Failed pods are never endpoints, with the status reason', () => {
    const s = state({ phase: 'Failed', ready: false, status: { reason: 'Evicted' } });
    expect(s.shouldBeListed).toBe(false);
    expect(s.cause).toContain('phase Failed: Evicted');
  });
  it('finished wins over publishNotReadyAddresses', () => {
    expect(
      state({ phase: 'Succeeded', ready: false }, { spec: { publishNotReadyAddresses: true } }).shouldBeListed,
    ).toBe(false);
  });
  it('an unscheduled pod has no IP: excluded, with the scheduler message', () => {
    const s = state({
      node: null,
      ip: null,
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/3 nodes are available: 3 Insufficient cpu.',
        },
      ],
    });
    expect(s.shouldBeListed).toBe(false);
    expect(s.cause).toBe('unscheduled: 0/3 nodes are available: 3 Insufficient cpu.');
  });
  it('a scheduling-gated pod says so', () => {
    const s = state({
      node: null,
      ip: null,
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
    });
    expect(s.cause).toContain('scheduling gated');
  });
  it('a scheduled pod without IP names the node and the waiting container', () => {
    const s = state({ ip: null, waiting: 'ContainerCreating' });
    expect(s.shouldBeListed).toBe(false);
    expect(s.cause).toBe('no IP yet on node node-a (app: ContainerCreating)');
  });
  it('a Pending pod that has an IP (init containers running) is included, not ready', () => {
    const s = state({
      phase: 'Pending',
      ready: false,
      initContainers: [{ name: 'migrate', image: 'm' }],
      status: { initContainerStatuses: [{ name: 'migrate', ready: false, restartCount: 0, state: { running: {} } }] },
    });
    expect(s).toMatchObject({ shouldBeListed: true, ready: false, serving: false });
    expect(s.cause).toBe('init container migrate is still running');
  });
  it('a pod whose Node object is missing is skipped when Nodes were read', () => {
    const s = state({ node: 'gone' }, {}, null);
    expect(s.shouldBeListed).toBe(false);
    expect(s.cause).toContain('node gone does not exist');
  });
  it('a missing Node proves nothing when Nodes were not read', () => {
    expect(state({ node: 'gone' }, {}, null, false).shouldBeListed).toBe(true);
  });
  it('with publishNotReadyAddresses a pod on a missing Node is included anyway', () => {
    expect(state({ node: 'gone' }, { spec: { publishNotReadyAddresses: true } }, null)).toMatchObject({
      shouldBeListed: true,
      ready: true,
    });
  });
});

describe('podEndpointState: conditions (docs/kubernetes-semantics.md#endpoint-conditions-and-fields)', () => {
  it('a terminating pod stays in slices: ready=false, serving follows Ready, terminating=true', () => {
    const s = state({ terminating: true });
    expect(s).toMatchObject({ shouldBeListed: true, ready: false, serving: true, terminating: true });
    expect(s.cause).toContain('terminating');
    expect(s.cause).toContain('still serving');
  });
  it('a terminating pod that is no longer Ready is not serving', () => {
    const s = state({ terminating: true, ready: false });
    expect(s).toMatchObject({ serving: false, terminating: true });
    expect(s.cause).not.toContain('still serving');
  });
  it('publishNotReadyAddresses: an unready pod is a ready endpoint, serving keeps the real readiness', () => {
    expect(state({ ready: false }, { spec: { publishNotReadyAddresses: true } })).toEqual({
      shouldBeListed: true,
      ready: true,
      serving: false,
      terminating: false,
      cause: undefined,
    });
  });
  it('publishNotReadyAddresses: even a terminating pod is ready', () => {
    expect(state({ terminating: true }, { spec: { publishNotReadyAddresses: true } })).toMatchObject({
      ready: true,
      terminating: true,
    });
  });
  it('a not-ready pod carries the cause', () => {
    expect(state({ waiting: 'CrashLoopBackOff' }).cause).toContain('CrashLoopBackOff');
  });
});

describe('podEndpointState: address families (docs/kubernetes-semantics.md#endpoint-conditions-and-fields, docs/kubernetes-semantics.md#one-slice-set-per-address-family)', () => {
  it('an IPv4-only pod is not an endpoint of an IPv6 single-stack Service', () => {
    const s = state(
      { ips: ['10.1.0.1'] },
      { spec: { clusterIP: 'fd00::10', clusterIPs: ['fd00::10'], ipFamilies: ['IPv6'] } },
    );
    expect(s.shouldBeListed).toBe(false);
    expect(s.cause).toContain('no IPv6 address');
  });
  it('an IPv4-only pod is an endpoint of a dual-stack Service (its IPv4 slice)', () => {
    const s = state({ ips: ['10.1.0.1'] }, { spec: { ipFamilies: ['IPv4', 'IPv6'] } });
    expect(s.shouldBeListed).toBe(true);
  });
  it('a dual-stack pod is an endpoint of an IPv6 Service', () => {
    const s = state(
      { ips: ['10.1.0.1', 'fd00::1'] },
      { spec: { clusterIP: 'fd00::10', clusterIPs: ['fd00::10'], ipFamilies: ['IPv6'] } },
    );
    expect(s.shouldBeListed).toBe(true);
  });
  it('families: spec.ipFamilies, else the clusterIP family, else both for headless', () => {
    expect(serviceFamilies(slimService(service('a', { spec: { ipFamilies: ['IPv6', 'IPv4'] } })))).toEqual([
      'IPv6',
      'IPv4',
    ]);
    expect(serviceFamilies(slimService(service('a', { spec: { ipFamilies: [], clusterIP: 'fd00::1' } })))).toEqual([
      'IPv6',
    ]);
    expect(serviceFamilies(slimService(service('a', { spec: { ipFamilies: [], clusterIP: 'None' } })))).toEqual([
      'IPv4',
      'IPv6',
    ]);
  });
});

describe('notReadyCause (docs/kubernetes-semantics.md#pod-readiness)', () => {
  it('node NotReady comes first', () => {
    expect(cause({ waiting: 'CrashLoopBackOff', node: 'node-b' }, node('node-b', { ready: 'False' }))).toBe(
      'node node-b is NotReady',
    );
  });
  it('node Ready=Unknown is unreachable', () => {
    expect(cause({ ready: false, node: 'node-b' }, node('node-b', { ready: 'Unknown' }))).toContain(
      'unreachable (Ready=Unknown)',
    );
  });
  it('CrashLoopBackOff names the container, the last exit and the restarts', () => {
    const c = cause({
      ready: false,
      status: {
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } },
            lastState: { terminated: { reason: 'Error', exitCode: 1 } },
          },
        ],
      },
    });
    expect(c).toBe('container app waiting: CrashLoopBackOff, last exit: Error (code 1), 4 restarts');
  });
  it('ImagePullBackOff carries the waiting message', () => {
    const c = cause({
      ready: false,
      status: {
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "shop/app:9"' } },
          },
        ],
      },
    });
    expect(c).toContain('container app waiting: ImagePullBackOff');
    expect(c).toContain('Back-off pulling image');
  });
  it('a realistic kubelet ImagePullBackOff message is kept whole, up to the useful "not found" at its end (docs/kubernetes-semantics.md#pod-readiness)', () => {
    const message =
      'Back-off pulling image "registry.example.com/shop/cart:v2.4.0": ErrImagePull: failed to pull and unpack image ' +
      '"registry.example.com/shop/cart:v2.4.0": failed to resolve reference "registry.example.com/shop/cart:v2.4.0": ' +
      'registry.example.com/shop/cart:v2.4.0: not found';
    const c = cause({
      ready: false,
      status: {
        containerStatuses: [
          { name: 'cart', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message } } },
        ],
      },
    });
    expect(c).toBe(`container cart waiting: ImagePullBackOff (${message})`);
  });
  it('an ErrImagePull message longer than the limit keeps its start and its end, where the cause is (docs/kubernetes-semantics.md#pod-readiness)', () => {
    const message =
      'failed to pull and unpack image "registry.example.com/shop/cart:v2.4.0": failed to resolve reference ' +
      '"registry.example.com/shop/cart:v2.4.0": failed to do request: Head ' +
      '"https://registry.example.com/v2/shop/cart/manifests/v2.4.0": tls: failed to verify certificate: x509: ' +
      'certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to ' +
      'verify candidate authority certificate "registry-ca")';
    expect(message.length).toBeGreaterThan(300);
    const c = cause({
      ready: false,
      status: {
        containerStatuses: [
          { name: 'cart', ready: false, restartCount: 0, state: { waiting: { reason: 'ErrImagePull', message } } },
        ],
      },
    });
    expect(c).toContain(
      'container cart waiting: ErrImagePull (failed to pull and unpack image "registry.example.com/shop/cart:v2.4.0"',
    );
    expect(c).toContain('…');
    expect(c).toContain('verify candidate authority certificate "registry-ca")');
    expect(c.length).toBeLessThan('container cart waiting: ErrImagePull ()'.length + 301);
  });
  it('running but not ready with a readiness probe: the probe is failing, and which probe (docs/kubernetes-semantics.md#readiness-probes)', () => {
    const probed = (readinessProbe: Record<string, unknown>) =>
      cause({
        ready: false,
        containers: [{ name: 'app', image: 'a', ports: [{ name: 'http', containerPort: 8080 }], readinessProbe }],
      });
    expect(probed({ httpGet: { path: '/', port: 8080 } })).toBe(
      'container app running but not ready: readiness probe failing (httpGet :8080/, HTTP)',
    );
    expect(probed({ httpGet: { path: '/healthz', port: 'http', scheme: 'HTTPS' } })).toBe(
      'container app running but not ready: readiness probe failing (httpGet :http/healthz, HTTPS)',
    );
    expect(probed({ tcpSocket: { port: 'http' } })).toBe(
      'container app running but not ready: readiness probe failing (tcpSocket :http)',
    );
    expect(probed({ grpc: { port: 9090, service: 'ready' } })).toBe(
      'container app running but not ready: readiness probe failing (grpc :9090 service ready)',
    );
    expect(probed({ exec: { command: ['cat', '/tmp/ready'] } })).toBe(
      'container app running but not ready: readiness probe failing (exec)',
    );
    // A snapshot of an older version kept only that there is a probe: nothing more is claimed.
    expect(probed({})).toBe('container app running but not ready: readiness probe failing');
  });
  it('a readiness probe whose port does not resolve can never pass, and the cause says why (docs/kubernetes-semantics.md#readiness-probes)', () => {
    const c = cause({
      ready: false,
      containers: [
        {
          name: 'app',
          image: 'a',
          ports: [{ name: 'http', containerPort: 8080 }],
          readinessProbe: { httpGet: { path: '/healthz', port: 'health' } },
        },
      ],
    });
    expect(c).toBe(
      'container app running but not ready: readiness probe can never pass (httpGet :health/healthz, HTTP; container app declares no port named "health")',
    );
  });
  it('running, not started, with a startup probe: the startup probe has not passed', () => {
    const c = cause({
      ready: false,
      containers: [{ name: 'app', image: 'a', startupProbe: { tcpSocket: { port: 8080 } } }],
      status: {
        containerStatuses: [{ name: 'app', ready: false, started: false, restartCount: 0, state: { running: {} } }],
      },
    });
    expect(c).toContain('startup probe not yet passed');
  });
  it('running but not ready without a probe', () => {
    expect(cause({ ready: false, containers: [{ name: 'app', image: 'a' }] })).toBe(
      'container app running but not ready',
    );
  });
  it('a not-ready native sidecar is a container cause too', () => {
    const c = cause({
      ready: false,
      initContainers: [{ name: 'proxy', image: 'p', restartPolicy: 'Always' }],
      status: {
        containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
        initContainerStatuses: [
          { name: 'proxy', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } },
        ],
      },
    });
    expect(c).toContain('container proxy waiting: CrashLoopBackOff');
  });
  it('a failed ordinary init container is named', () => {
    const c = cause({
      ready: false,
      phase: 'Pending',
      initContainers: [{ name: 'migrate', image: 'm' }],
      status: {
        initContainerStatuses: [
          { name: 'migrate', ready: false, restartCount: 0, state: { terminated: { reason: 'Error', exitCode: 2 } } },
        ],
      },
    });
    expect(c).toContain('init container migrate terminated: Error, exit code 2');
  });
  it('readiness gate without its condition', () => {
    const c = cause({
      readinessGates: ['target-health.elbv2.k8s.aws/tg'],
      conditions: [
        { type: 'ContainersReady', status: 'True' },
        { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady' },
      ],
    });
    expect(c).toBe('readiness gate target-health.elbv2.k8s.aws/tg has no condition yet');
  });
  it('readiness gate whose condition is False', () => {
    const c = cause({
      readinessGates: ['example.com/lb'],
      conditions: [
        { type: 'ContainersReady', status: 'True' },
        { type: 'example.com/lb', status: 'False' },
        { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady' },
      ],
    });
    expect(c).toBe('readiness gate example.com/lb is False, not True');
  });
  it('falls back to the Ready condition reason and message', () => {
    const c = cause({
      conditions: [{ type: 'Ready', status: 'False', reason: 'SomethingElse', message: 'details' }],
    });
    expect(c).toBe('not ready: SomethingElse: details');
  });
  it('no container status yet', () => {
    expect(
      cause({ ready: false, conditions: [{ type: 'Ready', status: 'False' }], status: { containerStatuses: [] } }),
    ).toContain('no container status reported yet');
  });
  it('a healthy node is not blamed', () => {
    expect(notReadyCause(slimPod(pod('x', { ready: false })), nodeA)).not.toContain('node');
  });
});
