import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { LeaderDetectionError } from '../../../src/core/mesos/leader/leaderDetectionError';
import { parseMasterUrl } from '../../../src/core/mesos/leader/parseMasterUrl';

function httpMasters(input: string): readonly string[] {
  const url = parseMasterUrl(input);
  assert.equal(url.kind, 'http');
  return url.kind === 'http' ? url.masters : [];
}

function rejects(input: string, reason: RegExp): LeaderDetectionError {
  let caught: unknown;
  try {
    parseMasterUrl(input);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof LeaderDetectionError, `"${input}" should be rejected`);
  assert.equal(caught.code, 'invalidMasterUrl');
  assert.match(caught.reason, reason);
  assert.ok(caught.nextStep.length > 0, 'every rejection says what to do next');
  return caught;
}

test('a zk:// URL with several servers: hosts, ports (2181 by default), path and connection string', () => {
  assert.deepEqual(parseMasterUrl('zk://zk1.example:2181,zk2.example,10.0.0.3:2182/mesos'), {
    kind: 'zookeeper',
    servers: [
      { host: 'zk1.example', port: 2181 },
      { host: 'zk2.example', port: 2181 },
      { host: '10.0.0.3', port: 2182 },
    ],
    path: '/mesos',
    connectionString: 'zk1.example:2181,zk2.example:2181,10.0.0.3:2182',
    display: 'zk://zk1.example:2181,zk2.example:2181,10.0.0.3:2182/mesos',
  });
});

test('zk:// digest credentials are kept for the client and masked in the display form', () => {
  const url = parseMasterUrl('  ZK://ops:pa:ss@word@zk1:2181/prod/mesos/  ');
  assert.equal(url.kind, 'zookeeper');
  if (url.kind !== 'zookeeper') return;
  assert.deepEqual(url.credentials, { user: 'ops', password: 'pa:ss@word' });
  assert.equal(url.path, '/prod/mesos', 'a nested path, with the trailing slash dropped');
  assert.equal(url.display, 'zk://ops:***@zk1:2181/prod/mesos');
  assert.doesNotMatch(JSON.stringify({ ...url, credentials: undefined }), /pa:ss/);
});

test('zk:// URLs that cannot work are rejected with the reason', () => {
  rejects('zk://zk1:2181', /has no znode path/);
  rejects('zk://zk1:2181/', /has the root "\/" as its path/);
  rejects('zk://zk1:2181//mesos', /invalid znode path "\/\/mesos"/);
  rejects('zk://zk1:2181/mesos/../x', /invalid znode path/);
  rejects('zk://zk1:99999/mesos', /invalid port "99999" for zk1/);
  rejects('zk://zk1:abc/mesos', /invalid port "abc"/);
  rejects('zk://zk 1:2181/mesos', /invalid ZooKeeper host "zk 1"/);
  rejects('zk:///mesos', /names no ZooKeeper server/);
  rejects('zk://[::1]:2181/mesos', /IPv6 server \[::1\]:2181/);
  rejects('zk://zk1:2181/mesos?x=1', /query or fragment/);
  rejects('zk://ops@zk1:2181/mesos', /credentials that are not "user:password"/);
});

test('a rejected value never echoes a password', () => {
  const error = rejects('zk://ops:hunter2@zk1:2181', /has no znode path/);
  assert.doesNotMatch(error.message, /hunter2/);
  assert.match(error.message, /ops:\*\*\*@/);
});

test('plain masters: one URL, a comma list, bare host:port, https and a path prefix; duplicates dropped', () => {
  assert.deepEqual(parseMasterUrl('http://10.0.0.1:5050'), {
    kind: 'http',
    masters: ['http://10.0.0.1:5050'],
    display: 'http://10.0.0.1:5050',
  });
  assert.deepEqual(httpMasters('http://m1:5050/, m2:5051 ,m3,https://gw.example/mesos/,http://m1:5050'), [
    'http://m1:5050',
    'http://m2:5051',
    'http://m3:5050',
    'https://gw.example/mesos',
  ]);
  assert.deepEqual(httpMasters('http://[::1]:5050'), ['http://[::1]:5050']);
  assert.deepEqual(httpMasters('m1:5050,,m2:5050,'), ['http://m1:5050', 'http://m2:5050']);
});

test('plain masters that cannot work are rejected with the reason', () => {
  rejects('', /is empty/);
  rejects('   ', /is empty/);
  rejects(',', /names no master/);
  rejects('ftp://m1:5050', /unsupported scheme ftp/);
  rejects('http://m1:5050?leader=1', /query or fragment/);
  rejects('http://m1:port', /not a URL/);
  rejects('http://m1:5050,zk://zk1:2181/mesos', /mixes a zk:\/\/ URL with other masters/);
  rejects('file:///etc/mesos/zk', /points to a file/);
  const secret = rejects('http://ops:hunter2@m1:5050', /credentials inside a master URL/);
  assert.doesNotMatch(secret.message, /hunter2/);
  assert.match(secret.nextStep, /secret storage/);
});
