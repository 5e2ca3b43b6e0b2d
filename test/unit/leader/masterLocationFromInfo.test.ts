import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LeaderDetectionError } from '../../../src/core/mesos/leader/leaderDetectionError';
import { ipv4FromPackedMasterIp, masterLocationFromInfo } from '../../../src/core/mesos/leader/masterLocationFromInfo';

/** What a real Mesos 1.12 master wrote to /mesos/json.info_0000000000. */
const captured = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'fixtures', 'mesos-1.12', 'zookeeper-json.info.json'), 'utf8'),
) as Record<string, unknown>;

test('the captured MasterInfo gives the master URL, id, hostname and version, and keeps the JSON', () => {
  const location = masterLocationFromInfo(captured);
  assert.deepEqual(location, {
    url: 'http://127.0.0.1:15060',
    id: '7bfac2d2-7c67-49d9-a9b0-d9bd2d465956',
    hostname: '127.0.0.1',
    version: '1.12.0',
    info: captured,
  });
});

test('the packed legacy ip of the captured master is its address, first octet in the low byte', () => {
  assert.equal(captured.ip, 16777343);
  assert.equal(ipv4FromPackedMasterIp(captured.ip as number), '127.0.0.1');
  // The reference's examples (§8.2).
  assert.equal(ipv4FromPackedMasterIp(184549386), '10.0.0.11');
  assert.equal(ipv4FromPackedMasterIp(16842879), '127.0.1.1');
  assert.equal(ipv4FromPackedMasterIp(0xffffffff), '255.255.255.255');
  assert.throws(() => ipv4FromPackedMasterIp(-1), RangeError);
  assert.throws(() => ipv4FromPackedMasterIp(2 ** 32), RangeError);
  assert.throws(() => ipv4FromPackedMasterIp(1.5), RangeError);
});

test('address.ip is preferred over the hostnames and the packed ip', () => {
  const info = {
    address: { hostname: 'm1.example', ip: '10.0.0.11', port: 5050 },
    hostname: 'other.example',
    ip: 16842879,
    port: 5051,
  };
  assert.equal(masterLocationFromInfo(info).url, 'http://10.0.0.11:5050');
  assert.equal(masterLocationFromInfo(info).hostname, 'm1.example');
});

test('without address.ip: address.hostname, then hostname, then the packed ip, with the top-level port', () => {
  assert.equal(
    masterLocationFromInfo({ address: { hostname: 'm1.example', port: 5050 }, ip: 184549386, port: 1 }).url,
    'http://m1.example:5050',
  );
  assert.equal(
    masterLocationFromInfo({ hostname: 'm2.example', ip: 184549386, port: 5051 }).url,
    'http://m2.example:5051',
  );
  const legacy = masterLocationFromInfo({ id: 'old', ip: 184549386, port: 5052 });
  assert.equal(legacy.url, 'http://10.0.0.11:5052');
  assert.equal(legacy.hostname, undefined);
  assert.equal(masterLocationFromInfo({ address: { ip: '10.0.0.12' }, port: 5053 }).url, 'http://10.0.0.12:5053');
});

test('an IPv6 address is bracketed, and the scheme can be https', () => {
  assert.equal(masterLocationFromInfo({ address: { ip: 'fd00::11', port: 5050 } }).url, 'http://[fd00::11]:5050');
  assert.equal(masterLocationFromInfo(captured, { scheme: 'https' }).url, 'https://127.0.0.1:15060');
});

test('MasterInfo without a usable host or port is rejected, naming where it came from', () => {
  const cases: [unknown, RegExp][] = [
    ['master@10.0.0.1:5050', /not a JSON object/],
    [null, /not a JSON object/],
    [[captured], /not a JSON object/],
    [{ port: 5050 }, /no address\.ip, address\.hostname, hostname or ip/],
    [{ ip: 0, port: 5050 }, /no address\.ip/],
    [{ address: { ip: '10.0.0.1' } }, /port undefined is not a TCP port/],
    [{ address: { ip: '10.0.0.1', port: 70000 } }, /port 70000 is not a TCP port/],
    [{ address: { ip: '10.0.0.1', port: '5050' } }, /port "5050" is not a TCP port/],
    [{ address: { hostname: 'm1/../x', port: 5050 } }, /host "m1\/..\/x" is not a host name/],
  ];
  for (const [info, reason] of cases) {
    assert.throws(
      () => masterLocationFromInfo(info, { source: 'ZooKeeper node /mesos/json.info_0000000007' }),
      (error: unknown) => {
        assert.ok(error instanceof LeaderDetectionError);
        assert.equal(error.code, 'malformedMasterInfo');
        assert.match(error.reason, /^ZooKeeper node \/mesos\/json\.info_0000000007 is not a usable MasterInfo/);
        assert.match(error.reason, reason);
        return true;
      },
    );
  }
});
