import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { Endpoint, type EndpointOptions } from '../../../src/core/http/endpoint';
import { EndpointConfigError } from '../../../src/core/http/errors';

function configError(options: EndpointOptions): EndpointConfigError {
  try {
    void new Endpoint(options).close();
  } catch (err) {
    assert.ok(err instanceof EndpointConfigError, String(err));
    return err;
  }
  assert.fail('expected an EndpointConfigError');
}

test('a bad base URL, scheme, proxy or principal is refused with the field and a next step', () => {
  assert.equal(configError({ baseUrl: 'm1:5050x' }).field, 'baseUrl');
  const zk = configError({ baseUrl: 'zk://zk1:2181/mesos' });
  assert.equal(zk.field, 'baseUrl');
  assert.match(zk.message, /uses zk:, not http: or https:.*zk:\/\/ URL is resolved to a master/);
  assert.equal(configError({ baseUrl: 'http://m1:5050', proxy: 'socks://p:1080' }).field, 'proxy');
  assert.equal(configError({ baseUrl: 'http://m1:5050', proxy: 'not a url' }).field, 'proxy');
  const principal = configError({ baseUrl: 'http://m1:5050', auth: { principal: 'a:b', secret: 's3cret' } });
  assert.equal(principal.field, 'auth.principal');
  assert.ok(!principal.message.includes('s3cret'));
  assert.equal(
    configError({ baseUrl: 'http://m1:5050', auth: { principal: '', secret: 'x' } }).field,
    'auth.principal',
  );
  assert.equal(configError({ baseUrl: 'http://m1:5050', headersTimeoutMs: -1 }).field, 'headersTimeoutMs');
  assert.equal(configError({ baseUrl: 'http://m1:5050', bodyTimeoutMs: 1.5 }).field, 'bodyTimeoutMs');
  assert.equal(configError({ baseUrl: 'http://m1:5050', maxBodyBytes: 0 }).field, 'maxBodyBytes');
});

test('a bad base URL with credentials does not echo them', () => {
  const err = configError({ baseUrl: 'ftp://ops:hunter2@m1:2121' });
  assert.ok(!err.message.includes('hunter2'));
  assert.equal(err.endpoint, 'ftp://m1:2121');
});

test('urlFor joins paths under the base path and appends query values in order, skipping undefined', async () => {
  const jenkins = new Endpoint({ baseUrl: 'https://ci.example.com/jenkins' });
  const master = new Endpoint({ baseUrl: 'http://m1:5050/' });
  try {
    assert.equal(
      jenkins.urlFor('computer/agent-1/api/json').href,
      'https://ci.example.com/jenkins/computer/agent-1/api/json',
    );
    assert.equal(jenkins.urlFor('/queue/api/json').href, 'https://ci.example.com/jenkins/queue/api/json');
    assert.equal(
      master.urlFor('/files/read', { path: '/var/lib/mesos/slaves/S0/stdout', offset: 0, length: undefined }).href,
      'http://m1:5050/files/read?path=%2Fvar%2Flib%2Fmesos%2Fslaves%2FS0%2Fstdout&offset=0',
    );
    assert.equal(master.urlFor('/slave(1)/state').pathname, '/slave(1)/state');
    assert.equal(master.urlFor('/master/tasks?order=asc', { limit: [10, 20] }).search, '?order=asc&limit=10&limit=20');
    assert.equal(master.urlFor('/x', new URLSearchParams({ a: '1' })).search, '?a=1');
    assert.throws(
      () => master.urlFor('http://m2:5050/master/state'),
      (err) => err instanceof EndpointConfigError && err.field === 'path',
    );
    assert.throws(() => master.urlFor('//m2:5050/master/state'), EndpointConfigError);
  } finally {
    await Promise.all([jenkins.close(), master.close()]);
  }
});
