import { describe, expect, it } from 'vitest';
import { declaresPort, describeServicePort, findPort, resolvePort } from '../../src/model/ports.js';
import { slimPod } from '../../src/sources/slim/pod.js';
import { slimService } from '../../src/sources/slim/service.js';
import { pod, service, type Raw } from '../support/objects.js';

function port(raw: Raw) {
  return slimService(service('web', { ports: [raw] })).ports[0];
}

const web = slimPod(
  pod('web-1', {
    containers: [
      {
        name: 'app',
        image: 'a',
        ports: [
          { name: 'http', containerPort: 8080 },
          { name: 'dns', containerPort: 5353 },
        ],
      },
      {
        name: 'metrics',
        image: 'm',
        ports: [
          { name: 'metrics', containerPort: 9090 },
          { name: 'http', containerPort: 9999 },
        ],
      },
    ],
    initContainers: [
      { name: 'migrate', image: 'x', ports: [{ name: 'admin', containerPort: 7000 }] },
      {
        name: 'proxy',
        image: 'p',
        restartPolicy: 'Always',
        ports: [
          { name: 'mesh', containerPort: 15001 },
          { name: 'dnsu', containerPort: 53, protocol: 'UDP' },
        ],
      },
    ],
  }),
);

describe('findPort (docs/kubernetes-semantics.md#how-a-targetport-is-resolved)', () => {
  it('a named targetPort resolves by name and protocol', () => {
    expect(findPort(web, port({ name: 'http', port: 80, targetPort: 'http' }))).toBe(8080);
  });
  it('the first container in order wins', () => {
    expect(findPort(web, port({ port: 80, targetPort: 'http' }))).toBe(8080);
  });
  it('a UDP service port does not match a container port of the same name with default protocol TCP', () => {
    expect(findPort(web, port({ name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' }))).toBeUndefined();
  });
  it('a TCP service port with the same name matches it', () => {
    expect(findPort(web, port({ name: 'dns', port: 53, targetPort: 'dns' }))).toBe(5353);
  });
  it('native sidecars (initContainers with restartPolicy: Always) are searched after containers', () => {
    expect(findPort(web, port({ port: 15001, targetPort: 'mesh' }))).toBe(15001);
    expect(findPort(web, port({ port: 53, protocol: 'UDP', targetPort: 'dnsu' }))).toBe(53);
  });
  it('ordinary init containers are never searched', () => {
    expect(findPort(web, port({ port: 7000, targetPort: 'admin' }))).toBeUndefined();
  });
  it('an unknown name does not resolve', () => {
    expect(findPort(web, port({ port: 80, targetPort: 'htpp' }))).toBeUndefined();
  });
  it('a numeric targetPort is used as is, declared or not', () => {
    expect(findPort(web, port({ port: 80, targetPort: 3000 }))).toBe(3000);
  });
  it('an omitted targetPort equals port (docs/kubernetes-semantics.md#targetport-defaulting-and-validation)', () => {
    expect(findPort(web, port({ port: 8443 }))).toBe(8443);
  });
  it('a targetPort written as a numeric string is a number', () => {
    expect(port({ port: 80, targetPort: '8080' }).targetPort).toBe(8080);
  });
});

describe('resolvePort', () => {
  it('says which container matched', () => {
    expect(resolvePort(web, port({ port: 80, targetPort: 'metrics' }))).toEqual({
      port: 9090,
      container: 'metrics',
      sidecar: false,
    });
  });
  it('flags a match on a native sidecar (docs/kubernetes-semantics.md#ports-on-native-sidecars)', () => {
    expect(resolvePort(web, port({ port: 80, targetPort: 'mesh' }))).toEqual({
      port: 15001,
      container: 'proxy',
      sidecar: true,
    });
  });
  it('a regular container wins over a sidecar with the same port name', () => {
    const p = slimPod(
      pod('x', {
        containers: [{ name: 'app', image: 'a', ports: [{ name: 'http', containerPort: 8080 }] }],
        initContainers: [
          { name: 'proxy', image: 'p', restartPolicy: 'Always', ports: [{ name: 'http', containerPort: 15000 }] },
        ],
      }),
    );
    expect(resolvePort(p, port({ port: 80, targetPort: 'http' }))).toMatchObject({ port: 8080, sidecar: false });
  });
  it('numeric: no container', () => {
    expect(resolvePort(web, port({ port: 80, targetPort: 81 }))).toEqual({ port: 81, sidecar: false });
  });
  it('undefined when nothing matches', () => {
    expect(resolvePort(web, port({ port: 80, targetPort: 'nope' }))).toBeUndefined();
  });
});

describe('declaresPort', () => {
  it('matches number and protocol, sidecars included', () => {
    expect(declaresPort(web, 8080, 'TCP')).toBe(true);
    expect(declaresPort(web, 8080, 'UDP')).toBe(false);
    expect(declaresPort(web, 53, 'UDP')).toBe(true);
    expect(declaresPort(web, 7000, 'TCP')).toBe(false);
  });
});

describe('describeServicePort', () => {
  it('named and unnamed', () => {
    expect(describeServicePort(port({ name: 'http', port: 80 }))).toBe('http 80/TCP');
    expect(describeServicePort(port({ port: 53, protocol: 'UDP' }))).toBe('53/UDP');
  });
});
