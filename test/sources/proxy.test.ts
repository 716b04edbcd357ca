// The proxy kubectl would use, decided without a request: the kubeconfig's proxy-url first, then
// the environment by Go's rules (golang.org/x/net/http/httpproxy, whose own tables the cases
// below follow: https://github.com/golang/net/blob/master/http/httpproxy/proxy_test.go).

import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { isLoopback, proxyFor, proxyFromEnvironment } from '../../src/sources/proxy.js';

const viaEnvironment = (target: string, env: Record<string, string>) =>
  proxyFromEnvironment(new URL(target), env)?.url.href;

describe('the proxy from the environment, as Go reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY', () => {
  it.each([
    ['127.0.0.1:8080', 'http://127.0.0.1:8080/'],
    ['cache.corp.example.com:1234', 'http://cache.corp.example.com:1234/'],
    ['cache.corp.example.com', 'http://cache.corp.example.com/'],
    ['localhost', 'http://localhost/'],
    ['https://cache.corp.example.com', 'https://cache.corp.example.com/'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/'],
    ['socks5://127.0.0.1', 'socks5://127.0.0.1'],
  ])('HTTPS_PROXY=%s is the proxy %s', (value, proxy) => {
    expect(viaEnvironment('https://api.example.com:6443', { HTTPS_PROXY: value })).toBe(proxy);
  });

  it('https requests use HTTPS_PROXY only, http requests HTTP_PROXY only', () => {
    const both = { HTTP_PROXY: 'http.proxy.tld', HTTPS_PROXY: 'secure.proxy.tld' };
    expect(viaEnvironment('https://secure.tld/', both)).toBe('http://secure.proxy.tld/');
    expect(viaEnvironment('http://insecure.tld/', both)).toBe('http://http.proxy.tld/');
    expect(viaEnvironment('https://secure.tld/', { HTTP_PROXY: 'http.proxy.tld' })).toBeUndefined();
    // curl and proxy-from-env fall back to ALL_PROXY; Go does not.
    expect(viaEnvironment('https://secure.tld/', { ALL_PROXY: 'http://all.proxy.tld' })).toBeUndefined();
  });

  it('the upper-case variable wins over the lower-case one; an empty one counts as unset', () => {
    expect(viaEnvironment('https://a.tld', { HTTPS_PROXY: 'upper:1', https_proxy: 'lower:1' })).toBe('http://upper:1/');
    expect(viaEnvironment('https://a.tld', { HTTPS_PROXY: '', https_proxy: 'lower:1' })).toBe('http://lower:1/');
    expect(
      viaEnvironment('https://a.example.com', {
        https_proxy: 'p:1',
        NO_PROXY: 'b.example.com',
        no_proxy: 'example.com',
      }),
    ).toBe('http://p:1/');
    expect(viaEnvironment('https://a.example.com', { https_proxy: 'p:1', no_proxy: 'example.com' })).toBeUndefined();
  });

  // Go's TestUseProxy: which hosts (on port 80) go around the proxy with this NO_PROXY.
  const noProxy =
    'foobar.com, .barbaz.net, *.wildcard.io, 192.168.1.1, 192.168.1.2:81, 192.168.1.3:80, 10.0.0.0/30, ' +
    '2001:db8::52:0:1, [2001:db8::52:0:2]:443, [2001:db8::52:0:3]:80, 2002:db8:a::45/64';
  it.each([
    // never proxied
    ['localhost', false],
    ['127.0.0.1', false],
    ['127.0.0.2', false],
    ['[::1]', false],
    ['[::2]', true],
    // addresses, with and without ports, and CIDRs
    ['192.168.1.1', false],
    ['192.168.1.2', true],
    ['192.168.1.3', false],
    ['192.168.1.4', true],
    ['10.0.0.2', false],
    ['[::ffff:10.0.0.2]', false],
    ['10.0.0.4', true],
    ['[2001:db8::52:0:1]', false],
    ['[2001:db8::52:0:2]', true],
    ['[2001:db8::52:0:3]', false],
    ['[2002:db8:a::123]', false],
    ['[fe80::424b:c8be:1643:a1b6]', true],
    // names: "foobar.com" takes its subdomains too, ".barbaz.net" and "*.wildcard.io" only those
    ['barbaz.net', true],
    ['www.barbaz.net', false],
    ['foobar.com', false],
    ['www.foobar.com', false],
    ['foofoobar.com', true],
    ['baz.com', true],
    ['localhost.net', true],
    ['local.localhost', true],
    ['barbarbaz.net', true],
    ['wildcard.io', true],
    ['nested.wildcard.io', false],
    ['awildcard.io', true],
  ])('NO_PROXY: %s proxied: %s', (host, proxied) => {
    const proxy = viaEnvironment(`http://${host}:80/`, { HTTP_PROXY: 'proxy:3128', NO_PROXY: noProxy });
    expect(proxy !== undefined).toBe(proxied);
  });

  it('NO_PROXY: *, internationalised names, malformed entries', () => {
    const env = (no: string) => ({ HTTPS_PROXY: 'proxy:3128', NO_PROXY: no });
    expect(viaEnvironment('https://anything.example.com', env('*'))).toBeUndefined();
    expect(viaEnvironment('https://10.1.2.3:6443', env(' * '))).toBeUndefined();
    expect(viaEnvironment('https://www.示例.com', env('.示例.com'))).toBeUndefined();
    expect(viaEnvironment('https://www.示例.com', env('xn--fsq092h.com'))).toBeUndefined();
    expect(viaEnvironment('https://www.xn--fsq092h.com', env('示例.com'))).toBeUndefined();
    expect(viaEnvironment('https://example.com', env(':1'))).toBe('http://proxy:3128/');
    expect(viaEnvironment('https://example.com', env('.example.com'))).toBe('http://proxy:3128/');
    expect(viaEnvironment('https://example.com', env('ample.com'))).toBe('http://proxy:3128/');
  });

  it("a port in NO_PROXY must be the request's, the scheme's default when the URL has none", () => {
    const env = (no: string) => ({ HTTPS_PROXY: 'proxy:3128', NO_PROXY: no });
    expect(viaEnvironment('https://api.example.com', env('api.example.com:443'))).toBeUndefined();
    expect(viaEnvironment('https://api.example.com:6443', env('api.example.com:6443'))).toBeUndefined();
    expect(viaEnvironment('https://api.example.com:6443', env('api.example.com:443'))).toBe('http://proxy:3128/');
  });

  it('a proxy of a scheme Go cannot use is an error, not a direct connection', () => {
    expect(() => proxyFromEnvironment(new URL('https://a.tld'), { HTTPS_PROXY: 'ftp://user:pw@proxy:21' })).toThrow(
      new UsageError("HTTPS_PROXY=ftp://proxy:21: the proxy's scheme ftp is not one of http, https and socks5"),
    );
  });

  it('names the proxy by the variable it came from, without its password, with or without a scheme', () => {
    const named = (value: string) => proxyFromEnvironment(new URL('https://a.tld'), { https_proxy: value })?.name;
    expect(named('http://u:sekret@proxy:3128')).toBe('http://proxy:3128 from https_proxy');
    expect(named('u:sekret@proxy:3128')).toBe('http://proxy:3128 from https_proxy');
  });
});

describe("the kubeconfig's proxy-url comes first", () => {
  const env = { HTTPS_PROXY: 'http://env-proxy:3128', NO_PROXY: '*' };

  it('is used even where the environment would go direct: NO_PROXY and loopback servers', () => {
    for (const server of ['https://api.example.com:6443', 'https://127.0.0.1:6443']) {
      const proxy = proxyFor(new URL(server), 'http://u:sekret@kube-proxy:8080', env);
      expect(proxy?.url.host).toBe('kube-proxy:8080');
      expect(proxy?.name).toBe('http://kube-proxy:8080');
    }
  });

  it('without one, the environment decides', () => {
    expect(proxyFor(new URL('https://api.example.com'), undefined, { HTTPS_PROXY: 'p:1' })?.name).toBe(
      'http://p:1 from HTTPS_PROXY',
    );
    expect(proxyFor(new URL('https://api.example.com'), undefined, env)).toBeUndefined();
    expect(proxyFor(new URL('https://api.example.com'), undefined, {})).toBeUndefined();
  });

  // client-go's clientcmd (parseProxyURL) accepts http, https and socks5.
  it('of another scheme, or not a URL, is a kubeconfig error', () => {
    expect(() => proxyFor(new URL('https://a.tld'), 'socks4://p:1080', {})).toThrow(
      new UsageError(
        "the kubeconfig's cluster proxy-url socks4://p:1080 has the scheme socks4: use http, https or socks5",
      ),
    );
    expect(() => proxyFor(new URL('https://a.tld'), 'proxy:3128', {})).toThrow(/has the scheme proxy: use http/);
    expect(() => proxyFor(new URL('https://a.tld'), 'not a url', {})).toThrow(
      new UsageError("the kubeconfig's cluster proxy-url not a url is not a URL"),
    );
  });
});

it('loopback servers: localhost, 127.0.0.0/8, ::1', () => {
  const loopback = ['https://localhost:6443', 'https://127.0.0.1', 'https://127.9.8.7:1', 'https://[::1]:6443'];
  expect(loopback.filter((u) => isLoopback(new URL(u)))).toEqual(loopback);
  const remote = ['https://10.0.0.1', 'https://[::2]', 'https://localhost.example.com', 'https://kube.test'];
  expect(remote.filter((u) => isLoopback(new URL(u)))).toEqual([]);
});
