// Finding the kube-proxy pod of a node: in kube-system, labelled as kubeadm (k8s-app=kube-proxy)
// or as static-pod installs (component=kube-proxy) label it, scheduled on the node by spec.nodeName.

export const KUBE_PROXY_SELECTORS = ['k8s-app=kube-proxy', 'component=kube-proxy'];
export const KUBE_PROXY_NAMESPACE = 'kube-system';

/** The little of a raw pod the lookup reads. */
export interface PodLike {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; deletionTimestamp?: string };
  spec?: { nodeName?: string; containers?: { name: string; image?: string; command?: string[]; args?: string[] }[] };
  status?: { phase?: string };
}

export interface KubeProxyPod {
  namespace: string;
  name: string;
  container: string;
  /** command and args of that container: the mode may be in --proxy-mode. */
  argv: string[];
  /** That container's image, as the node pulled it (from a mirror, say): the --debug-pod default. */
  image?: string;
}

function isKubeProxy(pod: PodLike): boolean {
  const labels = pod.metadata?.labels ?? {};
  return labels['k8s-app'] === 'kube-proxy' || labels['component'] === 'kube-proxy';
}

/**
 * The node's kube-proxy pod: Running ones first, then not terminating ones (a DaemonSet rollout
 * briefly has two). undefined when none is scheduled there.
 */
export function pickKubeProxyPod(pods: PodLike[], nodeName: string): KubeProxyPod | undefined {
  const candidates = pods
    .filter((p) => isKubeProxy(p) && p.spec?.nodeName === nodeName && p.metadata?.name)
    .sort((a, b) => rank(a) - rank(b) || (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
  const pod = candidates[0];
  if (!pod) return undefined;
  const containers = pod.spec?.containers ?? [];
  const container = containers.find((c) => c.name === 'kube-proxy') ?? containers[0];
  return {
    namespace: pod.metadata?.namespace ?? KUBE_PROXY_NAMESPACE,
    name: pod.metadata!.name!,
    container: container?.name ?? 'kube-proxy',
    argv: [...(container?.command ?? []), ...(container?.args ?? [])],
    ...(container?.image ? { image: container.image } : {}),
  };
}

function rank(pod: PodLike): number {
  if (pod.metadata?.deletionTimestamp) return 2;
  return pod.status?.phase === 'Running' ? 0 : 1;
}
