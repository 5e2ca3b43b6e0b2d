import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { looksLikeHtml, mediaType, mediaTypeMatches, summariseBody } from '../../../src/core/http/describeBody';

const bytes = (s: string) => Buffer.from(s, 'utf8');

test('mediaType drops parameters and case; matching allows type/*', () => {
  assert.equal(mediaType('Application/JSON; charset=utf-8'), 'application/json');
  assert.equal(mediaType(undefined), undefined);
  assert.equal(mediaTypeMatches('text/plain', ['application/json', 'text/*']), true);
  assert.equal(mediaTypeMatches('text/html', ['text/plain']), false);
  assert.equal(mediaTypeMatches(undefined, ['text/plain']), false);
});

test('a text reason becomes one line without control characters, cut to a readable length', () => {
  assert.deepEqual(summariseBody('text/plain', bytes('Failed to validate:\n\tExpecting \u001b[31mX\u001b[0m\n')), {
    text: 'Failed to validate: Expecting [31mX [0m',
    html: false,
  });
  const long = summariseBody('text/plain', bytes('x'.repeat(2000))).text;
  assert.equal(long.length, 500);
  assert.ok(long.endsWith('…'));
  assert.deepEqual(summariseBody('text/plain', new Uint8Array(0)), { text: '', html: false });
});

test('an HTML page is summarised by its title, or by its text without markup and scripts', () => {
  assert.deepEqual(summariseBody('text/html', bytes('<html><title> Sign in &amp; go </title><p>x</p></html>')), {
    text: 'Sign in & go',
    html: true,
  });
  assert.deepEqual(
    summariseBody(undefined, bytes('<!doctype html><html><script>var a=1</script><h1>Access denied</h1></html>')),
    { text: 'Access denied', html: true },
  );
  assert.equal(looksLikeHtml('application/json', bytes('{"a":1}')), false);
  assert.equal(looksLikeHtml(undefined, bytes('  <HTML>')), true);
});
