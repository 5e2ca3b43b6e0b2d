import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayUrl } from '../../../src/core/http/displayUrl';

test('displayUrl removes user name and password and the bare trailing slash', () => {
  assert.equal(displayUrl('https://svc:t0ken@ci.example.com/'), 'https://ci.example.com');
  assert.equal(displayUrl(new URL('http://a:b@m1:5050/master/state?x=1')), 'http://m1:5050/master/state?x=1');
  assert.equal(displayUrl('https://ci.example.com/jenkins/'), 'https://ci.example.com/jenkins/');
});

test('text that is not a URL still loses anything shaped like credentials', () => {
  assert.equal(displayUrl('//user:secret@host:5050 oops'), '//host:5050 oops');
});
