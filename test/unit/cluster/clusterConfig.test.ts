import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { readClusterConfigs } from '../../../src/core/cluster/clusterConfig';

test('good entries are read with defaults; a bad entry is reported and the others kept', () => {
  const { clusters, problems } = readClusterConfigs([
    { name: 'prod', masters: 'zk://zk1:2181,zk2:2181/mesos', principal: 'ops', jenkinsUrl: 'https://ci.example/', protected: true },
    { name: 'broken', masters: 'ftp://nope' },
    { name: 'dev', masters: 'http://127.0.0.1:5050', encoding: 'json', readOnly: true },
  ]);
  assert.deepEqual(
    clusters.map((c) => [c.name, c.encoding, c.readOnly, c.protected, c.insecure]),
    [
      ['prod', 'protobuf', false, true, false],
      ['dev', 'json', true, false, false],
    ],
  );
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.name, 'broken');
  assert.match(problems[0]!.message, /Cluster "broken"/);
});

test('duplicate names (case-insensitive), missing names and masters are each a clear problem', () => {
  const { clusters, problems } = readClusterConfigs([
    { name: 'a', masters: 'http://m:5050' },
    { name: 'A', masters: 'http://n:5050' },
    { masters: 'http://m:5050' },
    { name: 'b' },
    'not an object',
  ]);
  assert.deepEqual(clusters.map((c) => c.name), ['a']);
  assert.deepEqual(
    problems.map((p) => p.message),
    [
      'Cluster name "A" is used twice in mesos.clusters; names must be unique. Rename one.',
      'Entry 3 of mesos.clusters has no "name".',
      'Cluster "b" has no "masters": give http://host:5050 (comma-separated for several) or zk://host:2181/mesos.',
      'Entry 5 of mesos.clusters is not an object with "name" and "masters".',
    ],
  );
});

test('credentials in a Jenkins URL are refused: secrets belong in secret storage', () => {
  const { problems } = readClusterConfigs([{ name: 'x', masters: 'http://m:5050', jenkinsUrl: 'https://user:token@ci/' }]);
  assert.match(problems[0]!.message, /put no credentials in jenkinsUrl/);
});

test('a setting that is not a list is one problem, and no setting is no cluster', () => {
  assert.equal(readClusterConfigs({ name: 'x' }).problems.length, 1);
  assert.deepEqual(readClusterConfigs(undefined), { clusters: [], problems: [] });
});
