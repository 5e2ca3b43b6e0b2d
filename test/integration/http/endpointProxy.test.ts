import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { inspect } from 'node:util';
import { Endpoint, type EndpointOptions } from '../../../src/core/http/endpoint';
import { ConnectionError, MesosHttpError } from '../../../src/core/http/errors';
import { closedPort, type LoopbackServer, startLoopbackServer } from '../../support/loopbackServer';
import { createTestCertificates, type TestCertificates } from '../../support/testCertificates';
import { startTestProxy, type TestProxy } from '../../support/testProxy';

const OPTIONS = { timeout: 10_000 };
const signal = () => new AbortController().signal;
const PROXY_CREDENTIALS = 'proxy-user:proxy-pw';
const PROXY_AUTHORIZATION = `Basic ${Buffer.from(PROXY_CREDENTIALS).toString('base64')}`;

let certs: TestCertificates;
let master: LoopbackServer;
let tlsMaster: LoopbackServer;
let proxy: TestProxy;
let guardedProxy: TestProxy;

before(async () => {
  certs = await createTestCertificates();
  const answer = (req: { url?: string; headers: { host?: string } }, res: { end(body: string): void }) =>
    res.end(JSON.stringify({ url: req.url, host: req.headers.host }));
  master = await startLoopbackServer(answer);
  tlsMaster = await startLoopbackServer(answer, { tls: certs.server });
  proxy = await startTestProxy();
  guardedProxy = await startTestProxy({ credentials: PROXY_CREDENTIALS });
});
after(async () => {
  await Promise.all([master.close(), tlsMaster.close(), proxy.close(), guardedProxy.close()]);
});

// `mesos-master.test` resolves nowhere: only a proxy (ours maps every name to 127.0.0.1) can reach it.
async function get(options: EndpointOptions): Promise<{ url: string; host: string } | MesosHttpError> {
  const endpoint = new Endpoint(options);
  try {
    const res = await endpoint.request({ path: '/master/state', query: { jsonp: 'x' }, signal: signal() });
    return JSON.parse(Buffer.from(res.body).toString('utf8')) as { url: string; host: string };
  } catch (err) {
    assert.ok(err instanceof MesosHttpError, String(err));
    return err;
  } finally {
    await endpoint.close();
  }
}

test('plain-http targets go through the proxy as absolute-form requests, with proxy credentials', OPTIONS, async () => {
  const seenBefore = guardedProxy.seen.length;
  const answer = await get({
    baseUrl: `http://mesos-master.test:${master.port}`,
    proxy: guardedProxy.url.replace('//', `//${PROXY_CREDENTIALS}@`),
  });
  assert.deepEqual(answer, { url: '/master/state?jsonp=x', host: `mesos-master.test:${master.port}` });
  assert.deepEqual(guardedProxy.seen.slice(seenBefore), [
    {
      method: 'GET',
      target: `http://mesos-master.test:${master.port}/master/state?jsonp=x`,
      proxyAuthorization: PROXY_AUTHORIZATION,
    },
  ]);
});

test('https targets are tunnelled with CONNECT and still verified against the CA', OPTIONS, async () => {
  const seenBefore = proxy.seen.length;
  const answer = await get({ baseUrl: `https://mesos-master.test:${tlsMaster.port}`, proxy: proxy.url, ca: certs.ca });
  assert.deepEqual(answer, { url: '/master/state?jsonp=x', host: `mesos-master.test:${tlsMaster.port}` });
  assert.deepEqual(
    proxy.seen.slice(seenBefore).map((r) => [r.method, r.target]),
    [['CONNECT', `mesos-master.test:${tlsMaster.port}`]],
  );
});

test(
  'a proxy that wants credentials and gets none is a proxy ConnectionError that says so, for both modes',
  OPTIONS,
  async () => {
    for (const baseUrl of [`http://mesos-master.test:${master.port}`, `https://mesos-master.test:${tlsMaster.port}`]) {
      const err = await get({ baseUrl, proxy: guardedProxy.url, ca: certs.ca });
      assert.ok(err instanceof ConnectionError, `${baseUrl}: ${inspect(err)}`);
      assert.equal(err.kind, 'proxy');
      assert.match(err.message, /status 407/);
      assert.match(err.nextStep, /http:\/\/user:password@proxy:port/);
    }
  },
);

test('a proxy that is down is named in the error, and its credentials are not', OPTIONS, async () => {
  const port = await closedPort();
  const err = await get({
    baseUrl: 'http://mesos-master.test:5050',
    proxy: `http://${PROXY_CREDENTIALS}@127.0.0.1:${port}`,
  });
  assert.ok(err instanceof ConnectionError);
  assert.equal(err.kind, 'proxy');
  assert.match(err.message, new RegExp(`The proxy at http://127\\.0\\.0\\.1:${port} refused the connection`));
  assert.ok(!inspect(err, { depth: 10 }).includes('proxy-pw'));
});

test('loopback targets bypass the proxy, even when the proxy is down', OPTIONS, async () => {
  const port = await closedPort();
  const deadProxy = `http://127.0.0.1:${port}`;
  for (const baseUrl of [master.url, `http://localhost:${master.port}`]) {
    const endpoint = new Endpoint({ baseUrl, proxy: deadProxy });
    try {
      assert.equal(endpoint.proxied, false);
      const res = await endpoint.request({ path: '/master/state', signal: signal() });
      assert.equal(res.status, 200);
    } finally {
      await endpoint.close();
    }
  }
});

test('noProxy entries bypass the proxy; other hosts use it', async () => {
  const endpoints = [
    new Endpoint({ baseUrl: 'http://mesos-master.test:5050', proxy: proxy.url, noProxy: 'mesos-master.test' }),
    new Endpoint({ baseUrl: 'http://m1.mesos.test:5050', proxy: proxy.url, noProxy: ['.mesos.test'] }),
    new Endpoint({ baseUrl: 'http://jenkins.test:8080', proxy: proxy.url, noProxy: 'mesos.test' }),
    new Endpoint({ baseUrl: 'http://jenkins.test:8080', proxy: '' }),
  ];
  try {
    assert.deepEqual(
      endpoints.map((e) => e.proxied),
      [false, false, true, false],
    );
  } finally {
    await Promise.all(endpoints.map((e) => e.close()));
  }
});
