import { describe, expect, it } from 'vitest';
import { pickKubeProxyPod, type PodLike } from '../../src/sources/node/kube-proxy-pod.js';

function kp(
  name: string,
  o: {
    node?: string;
    labels?: Record<string, string>;
    phase?: string;
    deleting?: boolean;
    containers?: { name: string; command?: string[]; args?: string[] }[];
  } = {},
): PodLike {
  return {
    metadata: {
      name,
      namespace: 'kube-system',
      labels: o.labels ?? { 'k8s-app': 'kube-proxy' },
      ...(o.deleting ? { deletionTimestamp: '2026-11-25T00:00:00Z' } : {}),
    },
    spec: {
      nodeName: o.node ?? 'node-a',
      containers: o.containers ?? [
        { name: 'kube-proxy', command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf'] },
      ],
    },
    status: { phase: o.phase ?? 'Running' },
  };
}

describe('the kube-proxy pod of a node', () => {
  it('picks the pod scheduled on the node, by the kubeadm label', () => {
    const pod = pickKubeProxyPod([kp('kube-proxy-b', { node: 'node-b' }), kp('kube-proxy-a')], 'node-a');
    expect(pod).toEqual({
      namespace: 'kube-system',
      name: 'kube-proxy-a',
      container: 'kube-proxy',
      argv: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf'],
    });
  });

  it('accepts the static-pod label component=kube-proxy', () => {
    expect(pickKubeProxyPod([kp('kube-proxy-node-a', { labels: { component: 'kube-proxy' } })], 'node-a')?.name).toBe(
      'kube-proxy-node-a',
    );
  });

  it('ignores pods without either label (e.g. a sidecar-less look-alike)', () => {
    expect(pickKubeProxyPod([kp('proxy', { labels: { app: 'kube-proxy' } })], 'node-a')).toBeUndefined();
  });

  it('no pod on the node: undefined (the caller looks for a replacement)', () => {
    expect(pickKubeProxyPod([kp('kube-proxy-b', { node: 'node-b' })], 'node-a')).toBeUndefined();
  });

  it('during a rollout prefers the Running pod over a starting one and a terminating one', () => {
    const pods = [
      kp('kube-proxy-old', { deleting: true }),
      kp('kube-proxy-new', { phase: 'Pending' }),
      kp('kube-proxy-mid'),
    ];
    expect(pickKubeProxyPod(pods, 'node-a')?.name).toBe('kube-proxy-mid');
    expect(pickKubeProxyPod(pods.slice(0, 2), 'node-a')?.name).toBe('kube-proxy-new');
  });

  it('takes the container named kube-proxy, with command and args, when the pod has several', () => {
    const pod = pickKubeProxyPod(
      [
        kp('kube-proxy-a', {
          containers: [
            { name: 'metrics' },
            { name: 'kube-proxy', command: ['kube-proxy'], args: ['--proxy-mode=ipvs'] },
          ],
        }),
      ],
      'node-a',
    );
    expect(pod).toMatchObject({ container: 'kube-proxy', argv: ['kube-proxy', '--proxy-mode=ipvs'] });
  });
});
