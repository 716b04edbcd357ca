import { statefulsetServiceMissing } from '../../src/checks/statefulset-service-missing.js';
import { ownedPod, service, workload, type Raw } from '../support/objects.js';
import { ruleTester } from '../support/rule-tester.js';

const NS = 'data';
const headless = (name: string, selector: Record<string, string> | null = { app: 'db' }) =>
  service(name, { ns: NS, selector, spec: { clusterIP: 'None', clusterIPs: ['None'] } });
const db = (serviceName: string | undefined, labels = { app: 'db' }): Raw =>
  workload('StatefulSet', 'db', {
    ns: NS,
    labels,
    spec: serviceName === undefined ? {} : { serviceName },
  });

ruleTester(statefulsetServiceMissing, {
  valid: [
    {
      name: 'serviceName names a headless Service of its namespace that selects its pods (docs/kubernetes-semantics.md#statefulset-servicename)',
      objects: [headless('db-hl'), db('db-hl')],
    },
    {
      name: 'no serviceName: the API allows it, and the pods simply get no DNS names of their own (docs/kubernetes-semantics.md#statefulset-servicename)',
      objects: [headless('db-hl'), db(undefined)],
    },
    {
      name: 'an empty serviceName is no serviceName (docs/kubernetes-semantics.md#statefulset-servicename)',
      objects: [db('')],
    },
    {
      name: "StatefulSets not read: nothing is guessed from the pods' subdomain (the run notes that StatefulSets could not be read) (docs/kubernetes-semantics.md#statefulset-servicename)",
      objects: [
        ownedPod(
          'db-0',
          { kind: 'StatefulSet', name: 'db' },
          { ns: NS, labels: { app: 'db' }, spec: { hostname: 'db-0', subdomain: 'db-hl' } },
        ),
      ],
      coverage: { statefulSets: false },
    },
    {
      name: 'a selector on a label only the controller sets (statefulset.kubernetes.io/pod-name) is not held against the template (docs/kubernetes-semantics.md#statefulset-servicename)',
      objects: [headless('db-hl', { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0' }), db('db-hl')],
    },
    {
      name: 'a selectorless headless Service: its endpoints are written by hand, not judged (docs/kubernetes-semantics.md#statefulset-servicename)',
      objects: [headless('db-hl', null), db('db-hl')],
    },
  ],
  invalid: [
    {
      name: 'serviceName names a Service its namespace does not hold (docs/kubernetes-semantics.md#statefulset-servicename)',
      objects: [db('db-hl')],
      findings: [
        {
          reason: 'serviceMissing',
          message: [
            'StatefulSet data/db spec.serviceName names Service db-hl, which does not exist in namespace data',
            'its pods get no DNS names of their own (db-0.db-hl.data.svc)',
          ],
          fix: 'create a headless Service (clusterIP: None) named db-hl in namespace data',
        },
      ],
    },
    {
      name: 'a headless Service of that name in another namespace does not count (docs/kubernetes-semantics.md#statefulset-servicename)',
      objects: [service('db-hl', { ns: 'other', spec: { clusterIP: 'None', clusterIPs: ['None'] } }), db('db-hl')],
      findings: [
        { reason: 'serviceMissing', message: ['names Service db-hl, which does not exist in namespace data'] },
      ],
    },
    {
      name: 'a misspelt name says which Service it likely meant (docs/kubernetes-semantics.md#statefulset-servicename)',
      objects: [headless('db-headless'), db('db-headles')],
      findings: [{ reason: 'serviceMissing', message: ['a Service of a similar name exists: db-headless'] }],
    },
    {
      name: 'serviceName names a ClusterIP Service: DNS gives its virtual IP, no name per pod (docs/kubernetes-semantics.md#statefulset-servicename)',
      objects: [service('db', { ns: NS, selector: { app: 'db' } }), db('db')],
      findings: [
        {
          reason: 'notHeadless',
          message: ['names Service db, which is not headless (clusterIP 10.96.0.10): its pods get no DNS names'],
          fix: 'kubectl delete statefulset db -n data --cascade=orphan',
        },
      ],
    },
    {
      name: 'an ExternalName Service is not headless either (docs/kubernetes-semantics.md#statefulset-servicename)',
      objects: [
        service('db', {
          ns: NS,
          type: 'ExternalName',
          selector: null,
          ports: [],
          spec: { externalName: 'db.example.com' },
        }),
        db('db'),
      ],
      findings: [{ reason: 'notHeadless', message: ['which is not headless (type ExternalName)'] }],
    },
    {
      name: "the headless Service's selector does not match the pod template: the pods are not its endpoints (docs/kubernetes-semantics.md#statefulset-servicename)",
      objects: [headless('db-hl', { app: 'database' }), db('db-hl')],
      findings: [
        {
          reason: 'selectsNoPods',
          message: [
            "names headless Service db-hl, whose selector app=database does not match the StatefulSet's pod template (app=db)",
          ],
          fix: 'kubectl edit service db-hl -n data',
        },
      ],
    },
  ],
});
