// What the probe reads from the API besides Services and slices: the kube-proxy pods and
// configuration in kube-system, and, when a node has no kube-proxy, what replaces it
// (docs/kube-proxy-dataplane.md#nodes-without-kube-proxy). Reads only; the debug pod lives in debug-pod.ts.

import { ClusterError } from '../../core/errors.js';
import { stringAt } from '../../core/json-value.js';
import { ApiStatusError, connectionError, type ApiClient } from '../kube-api.js';
import { KUBE_PROXY_NAMESPACE, KUBE_PROXY_SELECTORS, type PodLike } from './kube-proxy-pod.js';

/** The body at `path`, or undefined when it does not exist (404) or may not be read (403). */
async function getIfReadable(api: ApiClient, path: string): Promise<unknown> {
  try {
    return (await api.get(path)).body;
  } catch (e) {
    if (e instanceof ApiStatusError && (e.status === 404 || e.status === 403)) return undefined;
    throw failure(api, e, `get ${path}`);
  }
}

function failure(api: ApiClient, e: unknown, what: string): Error {
  if (e instanceof ApiStatusError) {
    if (e.status === 403) {
      return new ClusterError(
        `forbidden: cannot ${what} (${e.message}); the probe needs list on pods in ${KUBE_PROXY_NAMESPACE} (or use --local / --rules-file)`,
        e,
      );
    }
    return new ClusterError(`the API server failed to ${what}: ${e.status} ${e.reason}: ${e.message}`, e);
  }
  return connectionError(api.server, e, `while trying to ${what}`);
}

/** kube-proxy pods in kube-system under either usual label, on one node or all. */
export async function listKubeProxyPods(api: ApiClient, nodeName?: string): Promise<PodLike[]> {
  const path = `/api/v1/namespaces/${KUBE_PROXY_NAMESPACE}/pods`;
  const fieldSelector = nodeName ? `spec.nodeName=${nodeName}` : undefined;
  try {
    const lists = await Promise.all(
      KUBE_PROXY_SELECTORS.map((labelSelector) =>
        api.list(path, { labelSelector, fieldSelector }, (item) => item as PodLike),
      ),
    );
    const seen = new Set<string>();
    return lists.flat().filter((p) => {
      const name = p.metadata?.name ?? '';
      if (seen.has(name)) return false;
      seen.add(name);
      return true;
    });
  } catch (e) {
    throw failure(api, e, `list pods in ${KUBE_PROXY_NAMESPACE}`);
  }
}

/** config.conf of ConfigMap kube-system/kube-proxy (kubeadm), when it exists and may be read. */
export async function readKubeProxyConfig(api: ApiClient): Promise<string | undefined> {
  const cm = await getIfReadable(api, `/api/v1/namespaces/${KUBE_PROXY_NAMESPACE}/configmaps/kube-proxy`);
  return stringAt(cm, 'data', 'config.conf');
}

/** The API server's version, e.g. v1.32.0: the default --debug-pod image is the kube-proxy image of it. */
export async function serverVersion(api: ApiClient): Promise<string | undefined> {
  const version = await getIfReadable(api, '/version');
  return /^v\d+\.\d+\.\d+/.exec(stringAt(version, 'gitVersion') ?? '')?.[0];
}

export interface ProxyReplacement {
  /** Who proxies Services instead of kube-proxy, if recognised. */
  proxy: 'cilium' | 'calico-ebpf' | 'unknown';
  statement: string;
}

/**
 * A node without a kube-proxy pod: Cilium's kube-proxy replacement (cilium-config
 * kube-proxy-replacement), Calico's eBPF dataplane, or something the probe cannot read.
 */
export async function detectReplacement(api: ApiClient, nodeName: string): Promise<ProxyReplacement> {
  const cilium = await getIfReadable(api, `/api/v1/namespaces/kube-system/configmaps/cilium-config`);
  const kpr = stringAt(cilium, 'data', 'kube-proxy-replacement');
  if (typeof kpr === 'string' && ['true', 'strict', 'partial', 'probe'].includes(kpr)) {
    return {
      proxy: 'cilium',
      statement:
        `node ${nodeName} runs no kube-proxy: Cilium replaces it (cilium-config kube-proxy-replacement: ${kpr}), ` +
        'so Services live in eBPF maps, not in iptables or nftables rules. See them with: ' +
        `kubectl -n kube-system exec ds/cilium -- cilium-dbg service list (on ${nodeName}: pick the cilium pod there)`,
    };
  }
  const calico = await getIfReadable(api, `/api/v1/namespaces/tigera-operator/configmaps/kubernetes-services-endpoint`);
  if (calico) {
    return {
      proxy: 'calico-ebpf',
      statement:
        `node ${nodeName} runs no kube-proxy, and Calico's operator has the kubernetes-services-endpoint ConfigMap its ` +
        'eBPF dataplane needs: Services are likely in Calico eBPF maps. See them with: ' +
        'kubectl -n calico-system exec ds/calico-node -c calico-node -- calico-node -bpf nat dump',
    };
  }
  return {
    proxy: 'unknown',
    statement:
      `no kube-proxy pod runs on node ${nodeName} (kube-system, label k8s-app=kube-proxy or component=kube-proxy): ` +
      'Services are proxied by something else (k3s embeds kube-proxy in its own process, kube-router, a cloud ' +
      'dataplane...). Run the probe on the node itself with --local, or read its rules with --debug-pod.',
  };
}
