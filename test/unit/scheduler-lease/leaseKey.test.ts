import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSafeLeaseKey, leaseKey } from '../../../src/core/scheduler/lease/leaseKey';

describe('leaseKey', () => {
  it('is the sanitized name and a hash of the exact name, stable across calls', () => {
    const key = leaseKey('Prod Cluster (eu-west)');
    assert.match(key, /^prod-cluster-eu-west-[0-9a-f]{12}$/);
    assert.equal(leaseKey('Prod Cluster (eu-west)'), key);
  });

  it('tells apart names that differ only in case or in characters the sanitizing drops', () => {
    const keys = new Set(['prod', 'Prod', 'PROD', 'prod!', 'prod?', 'prod/..'].map(leaseKey));
    assert.equal(keys.size, 6);
  });

  it('makes a safe file name of anything: separators, dots, long and empty names', () => {
    for (const name of [
      '../../etc/passwd',
      '..',
      '.hidden',
      'a\\b:c*d',
      'x'.repeat(500),
      '',
      '日本のクラスタ',
      'con',
      'name. ',
    ]) {
      const key = leaseKey(name);
      assert.ok(isSafeLeaseKey(key), `${JSON.stringify(name)} -> ${key}`);
      assert.ok(!key.includes('/') && !key.includes('\\') && !key.startsWith('.') && !key.endsWith('.'), key);
      assert.ok(key.length <= 53, key);
    }
    assert.match(leaseKey(''), /^[0-9a-f]{12}$/);
  });
});
