import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidRedirectError } from '../../../src/core/http/errors';
import { resolveRedirect } from '../../../src/core/http/resolveRedirect';

const from = new URL('https://m1.example:5050/api/v1/scheduler');

test("Mesos's scheme-less Location keeps the request's scheme", () => {
  assert.equal(
    resolveRedirect('//m2.example:5050/master/api/v1/scheduler', from).href,
    'https://m2.example:5050/master/api/v1/scheduler',
  );
  assert.equal(
    resolveRedirect('//10.0.0.12:5050/master/api/v1/scheduler', new URL('http://m1:5050/api/v1/scheduler')).href,
    'http://10.0.0.12:5050/master/api/v1/scheduler',
  );
});

test('/master/redirect answers a bare //host:port, which resolves to the root of the leader', () => {
  assert.equal(
    resolveRedirect('//127.0.0.1:15050', new URL('http://127.0.0.1:5050/master/redirect')).href,
    'http://127.0.0.1:15050/',
  );
});

test('relative and absolute Locations resolve as a browser would', () => {
  assert.equal(resolveRedirect('/master/state', from).href, 'https://m1.example:5050/master/state');
  assert.equal(resolveRedirect('state?x=1', from).href, 'https://m1.example:5050/api/v1/state?x=1');
  assert.equal(resolveRedirect('http://other:8080/x', from).href, 'http://other:8080/x');
});

test('the host:port form of the upstream docs is read as a host, not a URL scheme', () => {
  assert.equal(resolveRedirect('masterhost2:5050', from).href, 'https://masterhost2:5050/');
  assert.equal(resolveRedirect('masterhost2:5050/master/state', from).href, 'https://masterhost2:5050/master/state');
});

test('credentials of the request URL are never carried to the target', () => {
  const withCredentials = new URL('http://user:pw@m1:5050/api/v1');
  assert.equal(resolveRedirect('/master/state', withCredentials).href, 'http://m1:5050/master/state');
});

test('unusable Locations are InvalidRedirectError', () => {
  for (const location of ['', '   ', 'ftp://m2/x', 'javascript:alert(1)', 'http://[::1']) {
    assert.throws(() => resolveRedirect(location, from), InvalidRedirectError, JSON.stringify(location));
  }
});
