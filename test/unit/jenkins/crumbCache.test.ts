import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { CrumbCache } from '../../../src/core/jenkins/crumbCache';

function setCookies(...values: string[]): Headers {
  const headers = new Headers();
  for (const value of values) headers.append('set-cookie', value);
  return headers;
}

test('nothing is sent until a crumb was fetched; then the crumb and its session cookie go together', () => {
  const cache = new CrumbCache();
  const empty = cache.current();
  assert.deepEqual(CrumbCache.headers(empty), {});
  cache.rememberCookies(setCookies('JSESSIONID.ab12=node0x; Path=/; HttpOnly', 'AWSALB=sticky; Path=/'));
  const fetched = cache.store({ field: 'Jenkins-Crumb', crumb: 'c1' });
  assert.deepEqual(CrumbCache.headers(fetched), {
    'Jenkins-Crumb': 'c1',
    cookie: 'JSESSIONID.ab12=node0x; AWSALB=sticky',
  });
  assert.equal(cache.isNewerThan(empty), true);
  assert.equal(cache.isNewerThan(fetched), false);
  assert.deepEqual(CrumbCache.headers(empty), {}, 'an older snapshot is not changed by later fetches');
});

test('a renamed crumb field is used as given; a cookie the server expires is dropped', () => {
  const cache = new CrumbCache();
  cache.rememberCookies(setCookies('JSESSIONID.ab12=one', 'other=x'));
  cache.rememberCookies(setCookies('JSESSIONID.ab12=two', 'other=; Max-Age=0'));
  const snapshot = cache.store({ field: 'X-Custom-Crumb', crumb: 'c2' });
  assert.deepEqual(CrumbCache.headers(snapshot), { 'X-Custom-Crumb': 'c2', cookie: 'JSESSIONID.ab12=two' });
});

test('clear() forgets crumb and session (a restart invalidates both)', () => {
  const cache = new CrumbCache();
  cache.rememberCookies(setCookies('JSESSIONID.ab12=one'));
  const before = cache.store({ field: 'Jenkins-Crumb', crumb: 'c' });
  cache.clear();
  assert.deepEqual(CrumbCache.headers(cache.current()), {});
  assert.equal(cache.cookieHeader(), undefined);
  assert.equal(cache.isNewerThan(before), true);
});
