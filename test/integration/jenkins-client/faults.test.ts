import * as assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { test } from 'node:test';
import { JenkinsClient } from '../../../src/core/jenkins/jenkinsClient';
import { JenkinsError } from '../../../src/core/jenkins/jenkinsError';
import { type LoopbackHandler, startLoopbackServer } from '../../support/loopbackServer';
import { rejection, signal } from './jenkinsClientFixture';

/**
 * What stands between the client and Jenkins when things go wrong, played by loopback servers: a single
 * sign-on front-end, a proxy page, a hung controller, a controller that keeps refusing crumbs.
 */

async function withServer(
  handler: LoopbackHandler,
  body: (
    url: string,
    requests: Awaited<ReturnType<typeof startLoopbackServer>>['requests'],
    client: JenkinsClient,
  ) => Promise<void>,
  options: { timeoutMs?: number; user?: string; token?: string } = {},
): Promise<void> {
  const server = await startLoopbackServer(handler);
  const client = new JenkinsClient({
    url: `${server.url}/jenkins/`,
    user: options.user ?? 'svc',
    token: options.token ?? 'the-api-token',
    timeoutMs: options.timeoutMs ?? 5_000,
  });
  try {
    await body(server.url, server.requests, client);
  } finally {
    await client.close();
    await server.close();
  }
}

const send = (res: ServerResponse, status: number, headers: Record<string, string>, body = '') =>
  res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers }).end(body);

test('a redirect to a login page is login-required, for reads and for form posts alike', async () => {
  await withServer(
    (req, res) => send(res, 302, { location: `/jenkins/login?from=${encodeURIComponent(req.url ?? '/')}` }),
    async (url, requests, client) => {
      const read = await rejection(client.queue(signal()));
      assert.equal(read.kind, 'login-required');
      assert.equal(read.needsCredentials, true);
      assert.ok(read.location?.startsWith(`${url}/jenkins/login?from=%2Fjenkins%2Fqueue%2Fapi%2Fjson`), read.location);
      assert.match(read.message, /answered the request to read the build queue with a redirect to the login page/);
      const post = await rejection(client.deleteNode('agent-1', signal()));
      assert.equal(post.kind, 'login-required', 'a 302 to the login page is not the 302 of a done form post');
      assert.equal(requests.length, 2);
      for (const request of requests) {
        assert.equal(
          request.headers.authorization,
          `Basic ${Buffer.from('svc:the-api-token').toString('base64')}`,
          'pre-emptive Basic',
        );
        assert.equal(request.headers['accept-language'], 'en');
      }
      assert.equal(requests[1]?.url, '/jenkins/computer/agent-1/doDelete');
    },
  );
});

test('an SSO login page, a proxy page and foreign JSON in place of the API are told apart', async () => {
  const answers: Record<string, [number, Record<string, string>, string]> = {
    '/jenkins/queue/api/json': [
      200,
      { 'content-type': 'text/html' },
      '<html><title>Sign in – Example SSO</title><form><input type="password"></form></html>',
    ],
    '/jenkins/computer/api/json': [
      200,
      { 'content-type': 'text/html' },
      '<html><title>Welcome to nginx!</title></html>',
    ],
    '/jenkins/whoAmI/api/json': [200, { 'content-type': 'application/json' }, '{"status":"ok"}'],
    '/jenkins/label/linux/api/json': [200, { 'content-type': 'text/plain' }, 'hello'],
  };
  await withServer(
    (req, res) => {
      const answer = answers[(req.url ?? '').split('?')[0] ?? ''] ?? [404, {}, ''];
      send(res, ...answer);
    },
    async (_url, _requests, client) => {
      const login = await rejection(client.queue(signal()));
      assert.equal(login.kind, 'login-required');
      assert.match(login.message, /with a login page instead of the API/);
      const proxy = await rejection(client.computers(signal()));
      assert.equal(proxy.kind, 'not-json');
      assert.match(proxy.message, /with an HTML page \("Welcome to nginx!"\) instead of JSON/);
      const shape = await rejection(client.whoAmI(signal()));
      assert.equal(shape.kind, 'bad-response');
      assert.match(shape.message, /name is missing, expected a string/);
      const text = await rejection(client.label('linux', signal()));
      assert.equal(text.kind, 'not-json');
      const missing = await rejection(client.ping(signal()));
      assert.equal(missing.kind, 'bad-response');
    },
  );
});

test('a controller that does not answer in time is a retryable timeout, and nothing is left open', async () => {
  const server = await startLoopbackServer(() => undefined); // never answers
  const client = new JenkinsClient({ url: server.url, user: 'svc', token: 't', timeoutMs: 200 });
  try {
    const err = await rejection(client.queue(signal()));
    assert.equal(err.kind, 'timeout');
    assert.equal(err.retryable, true);
    assert.match(err.message, /did not answer within 200 ms when asked to read the build queue/);
  } finally {
    await client.close();
    await server.allSocketsClosed();
    await server.close();
  }
});

test('a body that stops half-way is a timeout too', async () => {
  await withServer(
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"items":[');
    },
    async (_url, _requests, client) => {
      const err = await rejection(client.queue(signal()));
      assert.equal(err.kind, 'timeout');
    },
    { timeoutMs: 200 },
  );
});

test('a call cancelled while Jenkins thinks rejects with an AbortError', async () => {
  await withServer(
    () => undefined,
    async (_url, requests, client) => {
      const controller = new AbortController();
      const pending = client.computers(controller.signal);
      while (requests.length === 0) await new Promise((r) => setTimeout(r, 10));
      controller.abort();
      await assert.rejects(
        pending,
        (err: unknown) => err instanceof Error && err.name === 'AbortError' && !(err instanceof JenkinsError),
      );
    },
  );
});

test('a crumb refused again after a fresh fetch fails with kind crumb after exactly one retry', async () => {
  await withServer(
    (req, res) => {
      if (req.method === 'GET' && req.url === '/jenkins/crumbIssuer/api/json') {
        return send(
          res,
          200,
          { 'content-type': 'application/json', 'set-cookie': 'JSESSIONID.abcd1234=node0s1; Path=/; HttpOnly' },
          JSON.stringify({
            _class: 'hudson.security.csrf.DefaultCrumbIssuer',
            crumb: 'f00d',
            crumbRequestField: 'Jenkins-Crumb',
          }),
        );
      }
      send(
        res,
        403,
        { 'content-type': 'text/html' },
        '<html><head><title>Error 403 No valid crumb was included in the request</title></head></html>',
      );
    },
    async (_url, requests, client) => {
      const err = await rejection(client.setOffline('agent-1', 'drain', signal()));
      assert.equal(err.kind, 'crumb');
      assert.match(err.nextStep, /Use an API token rather than a password/);
      assert.deepEqual(
        requests.map((r) => `${r.method} ${r.url}`),
        [
          'POST /jenkins/computer/agent-1/changeOfflineCause?offlineMessage=drain',
          'GET /jenkins/crumbIssuer/api/json',
          'POST /jenkins/computer/agent-1/changeOfflineCause?offlineMessage=drain',
        ],
      );
      assert.equal(requests[0]?.headers['jenkins-crumb'], undefined, 'no crumb before Jenkins asks');
      assert.equal(requests[2]?.headers['jenkins-crumb'], 'f00d');
      assert.equal(requests[2]?.headers.cookie, 'JSESSIONID.abcd1234=node0s1', 'the crumb goes with its session');
    },
  );
});

test('a crumb asked for by a Jenkins without crumb issuer fails clearly', async () => {
  await withServer(
    (req, res) => {
      if (req.url === '/jenkins/crumbIssuer/api/json')
        return send(res, 404, { 'content-type': 'text/html' }, '<title>Not Found</title>');
      send(res, 403, {}, 'No valid crumb was included in the request');
    },
    async (_url, requests, client) => {
      const err = await rejection(client.deleteNode('agent-1', signal()));
      assert.equal(err.kind, 'crumb');
      assert.match(err.message, /hands none out \(crumbIssuer\/api\/json answers 404\)/);
      assert.equal(requests.length, 2);
    },
  );
});

test('bad settings are config errors before anything is sent', () => {
  const config = (options: ConstructorParameters<typeof JenkinsClient>[0]) => {
    try {
      new JenkinsClient(options);
    } catch (err) {
      assert.ok(err instanceof JenkinsError);
      return err;
    }
    assert.fail('accepted');
  };
  assert.equal(config({ url: 'not a url' }).kind, 'config');
  assert.equal(config({ url: 'ftp://ci/' }).kind, 'config');
  assert.match(config({ url: 'http://ci/', user: 'svc' }).message, /No API token is set for the Jenkins user ‘svc’/);
  assert.match(config({ url: 'http://ci/', token: 'x' }).message, /no user/);
  assert.equal(config({ url: 'http://ci/', timeoutMs: 0 }).kind, 'config');
});

test('a Jenkins older than 2.264 serves the secret only as slave-agent.jnlp', async () => {
  const secret = 'c0ffee00'.repeat(8);
  await withServer(
    (req, res) => {
      if (req.url === '/jenkins/computer/old-agent/slave-agent.jnlp') {
        return send(
          res,
          200,
          { 'content-type': 'application/x-java-jnlp-file' },
          `<jnlp><application-desc main-class="hudson.remoting.jnlp.Main"><argument>${secret}</argument>` +
            '<argument>old-agent</argument><argument>-url</argument><argument>http://ci/</argument></application-desc></jnlp>',
        );
      }
      send(res, 404, { 'content-type': 'text/html' }, '<title>Not Found</title>');
    },
    async (_url, requests, client) => {
      assert.equal(await client.agentSecret('old-agent', signal()), secret);
      assert.deepEqual(
        requests.map((r) => r.url),
        ['/jenkins/computer/old-agent/jenkins-agent.jnlp', '/jenkins/computer/old-agent/slave-agent.jnlp'],
      );
    },
  );
});
