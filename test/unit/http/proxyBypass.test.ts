import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoopback, shouldBypassProxy } from '../../../src/core/http/proxyBypass';

const bypass = (url: string, noProxy?: string | string[]) => shouldBypassProxy(new URL(url), noProxy);

test('loopback addresses and names always bypass the proxy', () => {
  for (const url of [
    'http://127.0.0.1:5050',
    'http://127.1.2.3',
    'http://localhost:5050',
    'https://LOCALHOST.',
    'http://[::1]:5050',
    'http://sandbox.localhost',
  ]) {
    assert.equal(bypass(url), true, url);
  }
  assert.equal(isLoopback('128.0.0.1'), false);
  assert.equal(isLoopback('localhost.example.com'), false);
});

test('other hosts use the proxy unless listed', () => {
  assert.equal(bypass('http://mesos.example.com:5050'), false);
  assert.equal(bypass('http://10.0.0.1:5050', '10.0.0.2'), false);
  assert.equal(bypass('http://10.0.0.1:5050', '10.0.0.1'), true);
});

test('NO_PROXY conventions: *, host with subdomains, leading dot or *. for subdomains only, host:port', () => {
  assert.equal(bypass('http://anything.example', '*'), true);
  assert.equal(bypass('http://example.com', 'example.com'), true);
  assert.equal(bypass('http://m1.example.com', 'example.com'), true);
  assert.equal(bypass('http://notexample.com', 'example.com'), false);
  assert.equal(bypass('http://example.com', '.example.com'), false);
  assert.equal(bypass('http://m1.example.com', '.example.com'), true);
  assert.equal(bypass('http://m1.example.com', '*.example.com'), true);
  assert.equal(bypass('http://m1.example.com:5050', 'm1.example.com:5050'), true);
  assert.equal(bypass('http://m1.example.com:5051', 'm1.example.com:5050'), false);
  assert.equal(bypass('https://ci.example.com', 'ci.example.com:443'), true);
  assert.equal(bypass('http://[fd00::1]:5050', '[fd00::1]:5050'), true);
  assert.equal(bypass('http://m1.example.com', 'other.com, example.com'), true);
  assert.equal(bypass('http://m1.example.com', ['other.com', ' EXAMPLE.com ']), true);
});
