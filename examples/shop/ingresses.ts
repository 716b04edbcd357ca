// The marketing team's blog, in namespace marketing, behind the ingress-nginx controller:
// Ingresses whose backends are right, name a Service that is gone, and name a port the Service
// does not have.

import { ingress, type Raw } from '../../test/support/objects.js';
import { requiredObject } from '../../test/support/required-fields.js';
import { INGRESS_NGINX_ADDRESS } from './cluster.js';
import { uid } from './ids.js';
import { app, replicaSetPods } from './pods.js';
import { buildService, HTTP, port } from './services.js';
import type { Shop } from './shop-builder.js';

/** An Ingress for the nginx class, created at `created`, with the address the controller published. */
export function nginxIngress(ns: string, name: string, created: string, o: Parameters<typeof ingress>[1]): Raw {
  const raw = ingress(name, { ns, className: 'nginx', loadBalancer: [{ ip: INGRESS_NGINX_ADDRESS }], ...o });
  Object.assign(requiredObject(raw, 'metadata'), { uid: uid(`ingress/${ns}/${name}`), creationTimestamp: created });
  return raw;
}

const blogIngress = (name: string, created: string, o: Parameters<typeof ingress>[1]) =>
  nginxIngress('marketing', name, created, o);

/**
 * marketing/www: / goes to marketing/blog (healthy); /api still goes to blog-api, the Service the
 * platform team deleted when they moved the API to its own namespace (ingress-backend-missing).
 * marketing/comments: the backend names 8080, the pods' port, where an Ingress names the Service's
 * port, 80 (ingress-backend-port-unknown).
 */
export function marketing({ add, workload }: Shop): void {
  const blog = replicaSetPods('blog', '3.1.0', { ...app('blog', '3.1.0'), ns: 'marketing' }, [
    { node: 'worker-a1', created: '2026-11-18T09:12:40Z' },
    { node: 'worker-b1', created: '2026-11-18T09:12:58Z' },
  ]);
  workload(buildService({ ns: 'marketing', name: 'blog', created: '2025-06-02T08:40:11Z', ports: [HTTP] }), blog);
  const comments = replicaSetPods('comments', '1.4.2', { ...app('comments', '1.4.2'), ns: 'marketing' }, [
    { node: 'worker-b1', created: '2026-11-18T09:20:03Z' },
    { node: 'worker-c1', created: '2026-11-18T09:20:11Z' },
  ]);
  workload(
    buildService({
      ns: 'marketing',
      name: 'comments',
      created: '2025-06-02T08:41:30Z',
      ports: [port('http', 80, 8080)],
    }),
    comments,
  );
  add(
    blogIngress('www', '2025-06-02T08:45:00Z', {
      paths: [
        { host: 'blog.shop.example.com', path: '/', service: 'blog', port: 'http' },
        { host: 'blog.shop.example.com', path: '/api', service: 'blog-api', port: 'http' },
      ],
    }),
    blogIngress('comments', '2026-11-26T17:02:44Z', {
      paths: [{ host: 'comments.shop.example.com', path: '/', service: 'comments', port: 8080 }],
    }),
  );
}
