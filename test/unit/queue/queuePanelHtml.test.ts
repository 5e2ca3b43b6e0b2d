import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNonce, queuePanelHtml } from '../../../src/ui/queue/queuePanelHtml';

const parts = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'abc123+/XYZ',
  title: 'Jenkins Queue: <prod> & "ci"',
  toolkitScript: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/toolkit.min.js',
  panelScript: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styles: [
    'https://file+.vscode-resource.vscode-cdn.net/ext/media/uplot.min.css',
    'https://file+.vscode-resource.vscode-cdn.net/ext/media/queuePanel.css',
  ],
};

function csp(html: string): string {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(match, 'the page has a CSP meta tag');
  return match[1]!.replace(/&#39;/g, "'");
}

test('the CSP allows nothing by default, our files, and scripts with the nonce only', () => {
  const html = queuePanelHtml(parts);
  const policy = csp(html);
  const directives = new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), [`'nonce-${parts.nonce}'`]);
  assert.deepEqual(directives.get('style-src'), [parts.cspSource]);
  assert.deepEqual(directives.get('font-src'), [parts.cspSource]);
  assert.doesNotMatch(policy, /unsafe-/);
});

test('every script carries the nonce, toolkit first, as module scripts; no inline script or style', () => {
  const html = queuePanelHtml(parts);
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 2);
  for (const [, attrs, body] of scripts) {
    assert.match(attrs!, / type="module"/);
    assert.ok(attrs!.includes(`nonce="${parts.nonce}"`));
    assert.equal(body, '', 'no inline code');
  }
  assert.ok(scripts[0]![1]!.includes(parts.toolkitScript));
  assert.ok(scripts[1]![1]!.includes(parts.panelScript));
  assert.doesNotMatch(html, /<style|style="/);
  for (const href of parts.styles) assert.ok(html.includes(`<link rel="stylesheet" href="${href}">`));
  assert.match(html, /<main id="queue-panel" data-testid="queue-panel"><\/main>/);
});

test('the title is escaped', () => {
  const html = queuePanelHtml(parts);
  assert.ok(html.includes('<title>Jenkins Queue: &#60;prod&#62; &#38; &#34;ci&#34;</title>'));
});

test('nonces are fresh and valid in a CSP', () => {
  const a = createNonce();
  const b = createNonce();
  assert.notEqual(a, b);
  assert.match(a, /^[A-Za-z0-9+/]{24}$/);
});
