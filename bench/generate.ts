// A synthetic cluster for the benchmark: Services, Deployment/StatefulSet/Job pods, Nodes, the
// Deployments (with their ReplicaSets, old ones included) and StatefulSets behind the pods, the
// EndpointSlices and Endpoints the controllers would write for them (test/support/controller.ts),
// and the last hour's Events (many Normal ones, several Warnings per unhealthy pod), and each
// namespace's Namespace object and NetworkPolicies.
// Objects look like what a real API server returns: managedFields for kube-controller-manager
// and the kubelet, ownerReferences, annotations, env, resources, probes, volumes, full status.
// Generation is seeded and streamed (emit per object), so the server and the in-process analysis
// build the same cluster without holding two copies of it. bench/cluster/ builds each kind of
// object; this file decides what the cluster holds, namespace by namespace.

import { matchesSelector } from '../src/core/selectors.js';
import { controllerEndpoints, controllerSlices } from '../test/support/controller.js';
import { apiserverObjects, type Raw } from '../test/support/objects.js';
import { eventsOf } from './cluster/events.js';
import { makeNode, nodeIndexIP, type NodeSlot } from './cluster/nodes.js';
import { type GeneratedPod, makePod, type PodCondition, type PodPlan } from './cluster/pods.js';
import { chance, hex, int, pick, podSuffix, rng, uuid, type Rand } from './cluster/random.js';
import { dressControllerObject, makeService, type ServicePlan } from './cluster/services.js';
import { PARTS_A, PARTS_B, REGISTRIES, TEAMS } from './cluster/vocabulary.js';
import { envFor, workloadObjects, type Workload } from './cluster/workloads.js';

export interface ClusterSize {
  services: number;
  pods: number;
  namespaces: number;
  nodes: number;
  seed: number;
  /**
   * Each namespace's NetworkPolicies topped up to this many, besides its default-deny and one per
   * app, with policies of the shapes that cost an evaluator most (extraPolicy): the policy-dense case.
   */
  policiesPerNamespace?: number;
}

export interface GeneratedStats {
  objects: Record<string, number>;
  /** Services generated to be broken, per kind of breakage. */
  broken: Record<string, number>;
}

/** Splits `total` into `parts` integers that differ by at most one. */
function spread(total: number, parts: number, i: number): number {
  return Math.floor(total / parts) + (i < total % parts ? 1 : 0);
}

/** Rates of what goes wrong; the rest is healthy. */
const RATES = {
  selectorTypo: 0.02,
  namedPortMismatch: 0.015,
  numericPortUndeclared: 0.005,
  allPodsCrashing: 0.01,
  scaledToZero: 0.005,
  /** The workload wants pods, but its ReplicaSet exceeds the namespace's quota. */
  cannotCreatePods: 0.003,
  lbPending: 0.25, // of LoadBalancer Services
  podCrash: 0.01,
  podProbeFailing: 0.008,
  podImagePull: 0.002,
  podCreating: 0.002,
  podUnschedulable: 0.002,
  podTerminating: 0.003,
  nodeNotReady: 0.01,
  /** Pods no Service selects: finished Job pods. */
  jobPods: 0.08,
  /** Ingresses per Service, and of their backends those naming a Service or port that is not there. */
  ingressesPerService: 0.1,
  backendServiceMissing: 0.01,
  backendPortUnknown: 0.01,
  /** Cluster-scoped, as a real cluster has them: APIServices (most served by kube-apiserver itself) and webhook configurations. */
  apiServices: 20,
  serviceBackedApiServices: 4,
  webhookConfigurations: 10,
  /** HTTPRoutes per Service (Gateway API); their backendRefs break at the Ingress backends' rates. */
  httpRoutesPerService: 0.1,
  /**
   * Apps behind a namespace's default-deny ingress policy that no policy admits, and those whose
   * policy admits the Service's port rather than the container's (the classic mistake).
   */
  policyMissing: 0.01,
  policyServicePort: 0.01,
};

/** The built-in API groups' versions kube-apiserver serves itself (APIServices without a Service). */
const LOCAL_APIS = [
  'v1',
  'v1.apps',
  'v1.authentication.k8s.io',
  'v1.authorization.k8s.io',
  'v1.autoscaling',
  'v2.autoscaling',
  'v1.batch',
  'v1.certificates.k8s.io',
  'v1.coordination.k8s.io',
  'v1.discovery.k8s.io',
  'v1.events.k8s.io',
  'v1.networking.k8s.io',
  'v1.node.k8s.io',
  'v1.policy',
  'v1.rbac.authorization.k8s.io',
  'v1.scheduling.k8s.io',
  'v1.storage.k8s.io',
  'v1.admissionregistration.k8s.io',
];

/** Aggregated APIs a cluster installs, each served by a Service of its own. */
const AGGREGATED_APIS = [
  'v1beta1.metrics.k8s.io',
  'v1beta1.custom.metrics.k8s.io',
  'v1beta1.external.metrics.k8s.io',
  'v1alpha1.wardle.example.com',
];

export function generateCluster(size: ClusterSize, emit: (o: Raw) => void): GeneratedStats {
  const stats: GeneratedStats = { objects: {}, broken: {} };
  const count = (o: Raw) => {
    const kind = String(o.kind);
    stats.objects[kind] = (stats.objects[kind] ?? 0) + 1;
    emit(o);
  };
  const broke = (what: string) => (stats.broken[what] = (stats.broken[what] ?? 0) + 1);

  // Nodes
  const nr = rng(size.seed * 7919 + 1);
  const slots: NodeSlot[] = [];
  const rawNodes = new Map<string, Raw>();
  for (let i = 0; i < size.nodes; i++) {
    const slot: NodeSlot = {
      name: `ip-${nodeIndexIP(i).replaceAll('.', '-')}.ec2.internal`,
      index: i,
      ready: !chance(nr, RATES.nodeNotReady),
      used: 0,
      ip: nodeIndexIP(i),
    };
    slots.push(slot);
    const n = makeNode(nr, slot);
    rawNodes.set(slot.name, n);
    count(n);
  }
  const placeOn = (r: Rand): NodeSlot => {
    let slot = slots[Math.floor(r() * slots.length)];
    // A /24 per node: move on when this one is full.
    for (let tries = 0; slot.used >= 250 && tries < slots.length; tries++)
      slot = slots[(slot.index + 1) % slots.length]!;
    if (slot.used >= 250) throw new Error('more pods than the nodes can address: add --nodes');
    return slot;
  };

  for (const o of apiserverObjects()) count(o);

  let serviceIndex = 0;
  /** Services an APIService or a webhook may call: ClusterIP with a port, in any namespace. */
  const callable: { namespace: string; name: string; port: number }[] = [];
  for (let n = 0; n < size.namespaces; n++) {
    const r = rng(size.seed * 1_000_003 + n * 7 + 3);
    const team = TEAMS[n % TEAMS.length];
    const ns = `${team}-${pick(r, PARTS_A)}-${n}`;
    const nServices = spread(size.services, size.namespaces, n);
    const nPods = spread(size.pods, size.namespaces, n);

    // Services and the workloads behind them; a few workloads get a second (headless) Service.
    const plans: ServicePlan[] = [];
    const workloads: Workload[] = [];
    const taken = new Set<string>();
    const release = `${team}-${pick(r, PARTS_A)}`;
    for (let s = 0; s < nServices; s++) {
      const roll = r();
      const type: ServicePlan['type'] =
        roll < 0.01 ? 'ExternalName' : roll < 0.04 ? 'LoadBalancer' : roll < 0.06 ? 'NodePort' : 'ClusterIP';
      let name = `${pick(r, PARTS_A)}-${pick(r, PARTS_B)}`;
      while (taken.has(name)) name = `${name}-${int(r, 2, 9)}`;
      if (type === 'ExternalName') {
        taken.add(name);
        plans.push({ name, type, headless: false, metricsPort: false, numericTarget: false });
        continue;
      }
      const previous = workloads[workloads.length - 1];
      if (previous && previous.kind === 'StatefulSet' && !taken.has(`${previous.name}-headless`)) {
        // The StatefulSet's governing headless Service.
        name = `${previous.name}-headless`;
        taken.add(name);
        plans.push({
          name,
          workload: previous,
          type: 'ClusterIP',
          headless: true,
          metricsPort: false,
          numericTarget: false,
        });
        continue;
      }
      taken.add(name);
      const kind = chance(r, 0.06) ? 'StatefulSet' : 'Deployment';
      const useAppLabel = chance(r, 0.3);
      const mainPort = pick(r, [
        { name: 'http', port: 8080 },
        { name: 'http', port: 8080 },
        { name: 'http', port: 3000 },
        { name: 'grpc', port: 9000 },
        { name: 'web', port: 5000 },
        { name: 'http', port: 8000 },
      ]);
      const version = `v1.${int(r, 0, 40)}.${int(r, 0, 9)}`;
      const workloadLabels: Record<string, string> = {
        'app.kubernetes.io/name': name,
        'app.kubernetes.io/instance': release,
        'app.kubernetes.io/component': pick(r, ['server', 'worker', 'frontend', 'api']),
        'app.kubernetes.io/part-of': ns,
        'app.kubernetes.io/version': version,
        ...(useAppLabel ? { app: name } : {}),
        team,
      };
      const templateHash = podSuffix(r, 10);
      const w: Workload = {
        name,
        kind,
        ownerName: kind === 'Deployment' ? `${name}-${templateHash}` : name,
        ownerUID: uuid(r),
        labels: workloadLabels,
        selector: useAppLabel
          ? { app: name }
          : { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': release },
        image: `${pick(r, REGISTRIES)}/${name}:${version}`,
        mainPort,
        metrics: chance(r, 0.6),
        sidecar: chance(r, 0.2) ? 'envoy' : chance(r, 0.1) ? 'log-shipper' : undefined,
        nativeSidecar: chance(r, 0.3),
        init: chance(r, 0.15),
        crashing: false,
        replicas: 0,
        configChecksum: hex(r, 64),
        templateHash,
        serviceAccount: chance(r, 0.5) ? name : 'default',
        env: [],
        resources: {
          limits: { cpu: pick(r, ['500m', '1', '2']), memory: pick(r, ['512Mi', '1Gi', '2Gi']) },
          requests: { cpu: pick(r, ['100m', '250m', '500m']), memory: pick(r, ['256Mi', '512Mi', '1Gi']) },
        },
      };
      w.env = envFor(r, w);
      workloads.push(w);
      const plan: ServicePlan = {
        name,
        workload: w,
        type,
        headless: false,
        metricsPort: w.metrics && chance(r, 0.35),
        numericTarget: chance(r, 0.3),
      };
      const b = r();
      let acc = 0;
      const take = (p: number) => ((acc += p), b < acc);
      if (take(RATES.selectorTypo)) plan.breakage = 'selector-typo';
      else if (take(RATES.namedPortMismatch)) plan.breakage = 'named-port-mismatch';
      else if (take(RATES.numericPortUndeclared)) plan.breakage = 'numeric-port-undeclared';
      else if (take(RATES.allPodsCrashing)) plan.breakage = 'all-pods-crashing';
      else if (take(RATES.scaledToZero)) plan.breakage = 'scaled-to-zero';
      else if (take(RATES.cannotCreatePods)) plan.breakage = 'cannot-create-pods';
      else if (type === 'LoadBalancer' && chance(r, RATES.lbPending)) plan.breakage = 'lb-pending';
      if (plan.breakage === 'all-pods-crashing') w.crashing = true;
      if (plan.breakage) broke(plan.breakage);
      plans.push(plan);
    }

    // Pods: job pods no Service selects, the rest spread over the workloads, skewed (a few big ones).
    const jobPods = workloads.length === 0 ? nPods : Math.round(nPods * RATES.jobPods);
    const servedPods = nPods - jobPods;
    const breakageOf = (w: Workload) => plans.find((p) => p.workload === w && p.breakage)?.breakage;
    const podless = (w: Workload) => {
      const breakage = breakageOf(w);
      return breakage === 'scaled-to-zero' || breakage === 'cannot-create-pods';
    };
    const scalable = workloads.filter((w) => !podless(w));
    if (scalable.length > 0) {
      const weights = scalable.map(() => Math.exp(r() * 2.5));
      const sum = weights.reduce((a, b) => a + b, 0);
      let given = 0;
      scalable.forEach((w, i) => {
        w.replicas = Math.floor((weights[i] / sum) * servedPods);
        given += w.replicas;
      });
      for (let i = 0; given < servedPods; i = (i + 1) % scalable.length, given++) scalable[i].replicas++;
    }
    const podPlans: PodPlan[] = [];
    for (const w of workloads) {
      for (let k = 0; k < w.replicas; k++) {
        const name = w.kind === 'StatefulSet' ? `${w.name}-${k}` : `${w.ownerName}-${podSuffix(r, 5)}`;
        const slot = placeOn(r);
        let condition: PodCondition = 'ready';
        const c = r();
        if (w.crashing) condition = 'crash';
        else if (!slot.ready) condition = 'node-down';
        else if (c < RATES.podCrash) condition = 'crash';
        else if (c < RATES.podCrash + RATES.podProbeFailing) condition = 'probe-failing';
        else if (c < RATES.podCrash + RATES.podProbeFailing + RATES.podImagePull) condition = 'image-pull';
        else if (c < RATES.podCrash + RATES.podProbeFailing + RATES.podImagePull + RATES.podCreating)
          condition = 'creating';
        else if (
          c <
          RATES.podCrash + RATES.podProbeFailing + RATES.podImagePull + RATES.podCreating + RATES.podUnschedulable
        )
          condition = 'unschedulable';
        else if (
          c <
          RATES.podCrash +
            RATES.podProbeFailing +
            RATES.podImagePull +
            RATES.podCreating +
            RATES.podUnschedulable +
            RATES.podTerminating
        )
          condition = 'terminating';
        podPlans.push({ name, ns, workload: w, slot, condition, nodeCount: size.nodes });
      }
    }
    for (let k = 0; k < jobPods; k++) {
      const job = { name: `nightly-report-${29_000_000 + n * 1000 + k}`, uid: uuid(r) };
      podPlans.push({
        name: `${job.name}-${podSuffix(r, 5)}`,
        ns,
        job,
        slot: placeOn(r),
        condition: 'completed',
        nodeCount: size.nodes,
      });
    }

    const rawPods: GeneratedPod[] = [];
    // Events draw from their own sequence, so that the rest of the cluster is what it was without them.
    const er = rng(size.seed * 999_983 + n * 13 + 5);
    for (const p of podPlans) {
      const pod = makePod(r, p);
      rawPods.push(pod);
      count(pod);
      const containers = pod.spec.containers as { image: string }[];
      for (const e of eventsOf(er, {
        name: p.name,
        ns,
        uid: String(pod.metadata.uid),
        node: pod.spec.nodeName,
        image: containers[0].image,
        condition: p.condition,
        nodeCount: size.nodes,
      }))
        count(e);
    }

    // The workloads' own objects, from a generator of their own, so that the rest of the cluster
    // is the one earlier benchmark runs generated.
    const wr = rng(size.seed * 2_000_029 + n * 11 + 5);
    const readyPods = new Map<string, number>();
    for (const p of podPlans)
      if (p.workload && p.condition === 'ready')
        readyPods.set(p.workload.name, (readyPods.get(p.workload.name) ?? 0) + 1);
    for (const w of workloads)
      for (const o of workloadObjects(wr, w, ns, readyPods.get(w.name) ?? 0, breakageOf(w))) count(o);

    const backends: { name: string; port: string | number; number: number }[] = [];
    for (const plan of plans) {
      const ip = `10.${96 + (serviceIndex >> 16)}.${(serviceIndex >> 8) & 255}.${serviceIndex & 255}`;
      serviceIndex++;
      const svc = makeService(r, plan, ns, ip, taken);
      count(svc);
      const firstPort = (svc.spec.ports as Raw[] | undefined)?.[0];
      if (firstPort && plan.type !== 'ExternalName' && !plan.headless) {
        backends.push({
          name: plan.name,
          port: (firstPort.name as string | undefined) || (firstPort.port as number),
          number: firstPort.port as number,
        });
        callable.push({ namespace: ns, name: plan.name, port: firstPort.port as number });
      }
      // The controllers see the namespace's pods that the selector picks, and their nodes.
      const selector = svc.spec.selector;
      if (!selector) continue;
      const matched = rawPods.filter((p) => matchesSelector(p.metadata.labels, selector));
      const nodes = [...new Set(matched.map((p) => p.spec.nodeName).filter((name) => name !== undefined))].map((name) =>
        rawNodes.get(name)!,
      );
      const created = svc.metadata.creationTimestamp;
      for (const s of controllerSlices(svc, matched, nodes)) count(dressControllerObject(r, s, created));
      const endpoints = controllerEndpoints(svc, matched, nodes);
      if (endpoints) count(dressControllerObject(r, endpoints, created));
    }

    // Ingresses, one per ten Services, each routing a few paths to the namespace's Services. Their
    // own random stream, so that adding them left every other object as it was.
    const ir = rng(size.seed * 2_000_003 + n * 11 + 5);
    const nIngresses = backends.length === 0 ? 0 : Math.round(nServices * RATES.ingressesPerService);
    for (let k = 0; k < nIngresses; k++) {
      const paths = Array.from({ length: int(ir, 1, 4) }, (_, j) => {
        const target = pick(ir, backends);
        const roll = ir();
        if (roll < RATES.backendServiceMissing) broke('ingress-backend-missing');
        else if (roll < RATES.backendServiceMissing + RATES.backendPortUnknown) broke('ingress-backend-port-unknown');
        const service = roll < RATES.backendServiceMissing ? `${target.name}-old` : target.name;
        const port =
          roll >= RATES.backendServiceMissing && roll < RATES.backendServiceMissing + RATES.backendPortUnknown
            ? 'metrics-legacy'
            : target.port;
        return {
          path: j === 0 ? '/' : `/${pick(ir, PARTS_B)}`,
          pathType: 'Prefix',
          backend: { service: { name: service, port: typeof port === 'number' ? { number: port } : { name: port } } },
        };
      });
      const name = `${pick(ir, PARTS_A)}-${k}`;
      count({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: {
          name,
          namespace: ns,
          uid: uuid(ir),
          resourceVersion: String(int(ir, 100_000, 9_999_999)),
          generation: 1,
          creationTimestamp: '2025-01-15T10:00:00Z',
          labels: { team, 'app.kubernetes.io/part-of': ns },
          annotations: {
            'nginx.ingress.kubernetes.io/proxy-body-size': '16m',
            'cert-manager.io/cluster-issuer': 'letsencrypt',
          },
        },
        spec: {
          ingressClassName: 'nginx',
          tls: [{ hosts: [`${name}.${ns}.example.com`], secretName: `${name}-tls` }],
          rules: [{ host: `${name}.${ns}.example.com`, http: { paths } }],
        },
        status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } },
      });
    }

    // HTTPRoutes, one per ten Services, attached to the team's Gateway (one per namespace with
    // routes), each rule sending to one of the namespace's Services by port number. Their own
    // random stream too.
    const hr = rng(size.seed * 2_000_011 + n * 11 + 5);
    const nRoutes = backends.length === 0 ? 0 : Math.round(nServices * RATES.httpRoutesPerService);
    for (let k = 0; k < nRoutes; k++) {
      const rules = Array.from({ length: int(hr, 1, 4) }, (_, j) => {
        const target = pick(hr, backends);
        const roll = hr();
        if (roll < RATES.backendServiceMissing) broke('route-backend-missing');
        else if (roll < RATES.backendServiceMissing + RATES.backendPortUnknown) broke('route-backend-port-unknown');
        const name = roll < RATES.backendServiceMissing ? `${target.name}-old` : target.name;
        // Port 1 (tcpmux) is no Service's port here.
        const port =
          roll >= RATES.backendServiceMissing && roll < RATES.backendServiceMissing + RATES.backendPortUnknown
            ? 1
            : target.number;
        return {
          matches: [{ path: { type: 'PathPrefix', value: j === 0 ? '/' : `/${pick(hr, PARTS_B)}` } }],
          backendRefs: [{ group: '', kind: 'Service', name, port, weight: 1 }],
        };
      });
      const name = `${pick(hr, PARTS_A)}-route-${k}`;
      const parentRef = { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: ns, name: 'public' };
      count({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: {
          name,
          namespace: ns,
          uid: uuid(hr),
          resourceVersion: String(int(hr, 100_000, 9_999_999)),
          generation: 1,
          creationTimestamp: '2025-01-15T10:00:00Z',
          labels: { team, 'app.kubernetes.io/part-of': ns },
        },
        spec: { parentRefs: [parentRef], hostnames: [`${name}.${ns}.example.com`], rules },
        status: {
          parents: [
            {
              parentRef,
              controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
              conditions: [
                { type: 'Accepted', status: 'True', reason: 'Accepted', observedGeneration: 1 },
                { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', observedGeneration: 1 },
              ],
            },
          ],
        },
      });
    }

    if (nRoutes > 0) count(teamGateway(rng(size.seed * 2_000_011 + n * 11 + 6), ns, team, nRoutes));

    generateNetworkPolicies(
      rng(size.seed * 2_000_039 + n * 11 + 5),
      { ns, team, plans, total: size.policiesPerNamespace ?? 0 },
      count,
      broke,
    );
  }

  generateApiServerReferrers(size, callable, count, broke);
  return stats;
}

/**
 * A team's Gateway, as Envoy Gateway leaves it on a cloud load balancer: its proxy Service lives
 * in the implementation's namespace, unlabelled for GEP-1762, and the Gateway's status publishes
 * the load balancer's hostname (no Service of the generated cluster answers on it: its routes'
 * pods stay unknown, as a run of a cluster whose proxy namespace is not read leaves them).
 */
function teamGateway(gr: Rand, ns: string, team: string, routes: number): Raw {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: {
      name: 'public',
      namespace: ns,
      uid: uuid(gr),
      resourceVersion: String(int(gr, 100_000, 9_999_999)),
      generation: 1,
      creationTimestamp: '2025-01-15T10:00:00Z',
      labels: { team, 'app.kubernetes.io/part-of': ns },
    },
    spec: {
      gatewayClassName: 'eg',
      listeners: [
        { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
        {
          name: 'https',
          port: 443,
          protocol: 'HTTPS',
          hostname: `*.${ns}.example.com`,
          tls: { mode: 'Terminate', certificateRefs: [{ name: `${ns}-wildcard-tls` }] },
        },
      ],
    },
    status: {
      addresses: [{ type: 'Hostname', value: `k8s-envoygat-${ns}-${int(gr, 1000, 9999)}.elb.us-east-1.amazonaws.com` }],
      conditions: [
        { type: 'Accepted', status: 'True', reason: 'Accepted', observedGeneration: 1 },
        { type: 'Programmed', status: 'True', reason: 'Programmed', observedGeneration: 1 },
      ],
      listeners: [
        {
          name: 'http',
          attachedRoutes: routes,
          supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
        },
        {
          name: 'https',
          attachedRoutes: routes,
          supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
        },
      ],
    },
  };
}

/**
 * The namespace, labelled as the API server labels it, and its NetworkPolicies: a default-deny of
 * ingress, and per app a policy admitting its container port from the namespace's own pods and
 * the ingress controller's; a few (counted as broken) admit the Service's port 80 instead, or have
 * no policy at all. A random stream of their own, so that every other object stays as it was.
 */
function generateNetworkPolicies(
  pr: Rand,
  { ns, team, plans, total }: { ns: string; team: string; plans: ServicePlan[]; total: number },
  count: (o: Raw) => void,
  broke: (what: string) => void,
): void {
  const created = '2025-01-15T10:00:00Z';
  count({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: ns,
      uid: uuid(pr),
      resourceVersion: String(int(pr, 100, 9_999_999)),
      creationTimestamp: created,
      labels: { 'kubernetes.io/metadata.name': ns, team },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  let made = 0;
  const policy = (name: string, spec: Raw) => {
    made++;
    count({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name,
        namespace: ns,
        uid: uuid(pr),
        resourceVersion: String(int(pr, 100_000, 9_999_999)),
        generation: 1,
        creationTimestamp: created,
        labels: { team, 'app.kubernetes.io/part-of': ns },
      },
      spec,
    });
  };
  policy('default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
  const ingressController = {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
    podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
  };
  const monitoring = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } };
  for (const plan of plans) {
    const w = plan.workload;
    if (!w || plan.headless || plan.type === 'ExternalName') continue;
    const roll = pr();
    if (roll < RATES.policyMissing) {
      broke('networkpolicy-blocks-backends');
      continue;
    }
    const servicePort = roll < RATES.policyMissing + RATES.policyServicePort;
    if (servicePort) broke('networkpolicy-port-mismatch');
    const port = servicePort ? 80 : chance(pr, 0.5) ? w.mainPort.name : w.mainPort.port;
    const ingress: Raw[] = [{ from: [{ podSelector: {} }, ingressController], ports: [{ protocol: 'TCP', port }] }];
    // A Service's metrics port is scraped from the monitoring namespace, as its own rule admits.
    if (plan.metricsPort) ingress.push({ from: [monitoring], ports: [{ protocol: 'TCP', port: 'metrics' }] });
    policy(`allow-${plan.name}`, { podSelector: { matchLabels: w.selector }, policyTypes: ['Ingress'], ingress });
  }
  const apps = plans.flatMap((plan) => (plan.workload && !plan.headless ? [plan.workload] : []));
  for (let i = 0; made < total && apps.length > 0; i++) policy(`extra-${i}`, extraPolicy(pr, i, apps, team));
}

/**
 * The spec of one of a policy-dense namespace's extra policies, all of them allowing (policies
 * add up, so they change which sources are admitted, not whether a port is): set-based selectors
 * over several apps, port ranges, CIDRs with exceptions, namespace and pod selectors together,
 * and egress rules (with the cluster DNS) that a --from or a referrer's evaluation reads.
 */
function extraPolicy(pr: Rand, i: number, apps: Workload[], team: string): Raw {
  const some = (n: number) => Array.from({ length: n }, () => pick(pr, apps).labels['app.kubernetes.io/name']);
  const selecting = { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: some(3) }] };
  switch (i % 4) {
    case 0:
      return {
        podSelector: selecting,
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                podSelector: {
                  matchExpressions: [
                    { key: 'app.kubernetes.io/component', operator: 'In', values: ['frontend', 'api'] },
                  ],
                },
              },
            ],
            ports: [{ protocol: 'TCP', port: 8000, endPort: 9000 }],
          },
        ],
      };
    case 1:
      return {
        podSelector: selecting,
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.244.0.0/16', `10.${int(pr, 1, 200)}.0.0/16`] } }],
            ports: [
              { protocol: 'TCP', port: 'metrics' },
              { protocol: 'TCP', port: pick(pr, [3000, 5000, 8080]) },
            ],
          },
        ],
      };
    case 2:
      return {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': some(1)[0] } },
        policyTypes: ['Egress'],
        egress: [
          { to: [{ podSelector: selecting }], ports: [{ protocol: 'TCP', port: 'http' }] },
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      };
    default:
      return {
        podSelector: {
          matchLabels: { team },
          matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'NotIn', values: ['worker'] }],
        },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchExpressions: [{ key: 'team', operator: 'In', values: [team, pick(pr, TEAMS)] }],
                },
                podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'Exists' }] },
              },
            ],
            ports: [{ protocol: 'TCP', port: pick(pr, [8080, 9000, 'http', 'grpc']) }],
          },
        ],
      };
  }
}

/**
 * APIServices and webhook configurations as a real cluster has them: tens, cluster-scoped, most
 * APIServices served by kube-apiserver itself, a few by a Service (one still naming a Service that
 * was uninstalled: counted as broken), and webhooks of one to three each calling Services of the
 * cluster on their port. Their own random stream, so that every other object stays as it was.
 */
function generateApiServerReferrers(
  size: ClusterSize,
  callable: { namespace: string; name: string; port: number }[],
  count: (o: Raw) => void,
  broke: (what: string) => void,
): void {
  const ar = rng(size.seed * 3_000_017 + 13);
  const meta = (name: string) => ({
    name,
    uid: uuid(ar),
    resourceVersion: String(int(ar, 100, 9_999_999)),
    creationTimestamp: '2025-01-15T10:00:00Z',
  });
  const available = { type: 'Available', status: 'True', reason: 'Passed', message: 'all checks passed' };
  for (let i = 0; i < RATES.apiServices - RATES.serviceBackedApiServices; i++) {
    const name = LOCAL_APIS[i % LOCAL_APIS.length];
    count({
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { ...meta(name), labels: { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' } },
      spec: { version: name.split('.')[0], groupPriorityMinimum: 18000, versionPriority: 15 },
      status: { conditions: [{ ...available, reason: 'Local', message: 'Local APIServices are always available' }] },
    });
  }
  if (callable.length === 0) return;
  for (let i = 0; i < RATES.serviceBackedApiServices; i++) {
    const name = AGGREGATED_APIS[i % AGGREGATED_APIS.length];
    const target = pick(ar, callable);
    // The first one names a Service that was uninstalled.
    const gone = i === 0;
    if (gone) broke('apiservice-unavailable');
    count({
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: meta(name),
      spec: {
        group: name.slice(name.indexOf('.') + 1),
        version: name.split('.')[0],
        service: { namespace: target.namespace, name: gone ? `${target.name}-old` : target.name, port: target.port },
        caBundle: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t',
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
      status: {
        conditions: [
          gone
            ? {
                type: 'Available',
                status: 'False',
                reason: 'ServiceNotFound',
                message: `service/${target.name}-old is not present`,
              }
            : available,
        ],
      },
    });
  }
  for (let i = 0; i < RATES.webhookConfigurations; i++) {
    const kind = i % 2 === 0 ? 'ValidatingWebhookConfiguration' : 'MutatingWebhookConfiguration';
    const name = `${pick(ar, PARTS_A)}-webhook-${i}`;
    count({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind,
      metadata: meta(name),
      webhooks: Array.from({ length: int(ar, 1, 3) }, (_, j) => {
        const target = pick(ar, callable);
        return {
          name: `${j}.${name}.example.com`,
          clientConfig: {
            service: { namespace: target.namespace, name: target.name, port: target.port, path: '/validate' },
            caBundle: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t',
          },
          failurePolicy: ar() < 0.7 ? 'Fail' : 'Ignore',
          rules: [
            { operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: '*' },
            {
              operations: ['CREATE'],
              apiGroups: ['apps'],
              apiVersions: ['v1'],
              resources: ['deployments'],
              scope: '*',
            },
          ],
          namespaceSelector: {
            matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }],
          },
          objectSelector: {},
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
          timeoutSeconds: 10,
        };
      }),
    });
  }
}
