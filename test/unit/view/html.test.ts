import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INITIAL_STATE_ID } from '../../../src/contract/panel';
import { contentSecurityPolicy, makeNonce, panelHtml } from '../../../src/extension/panel/html';

const parts = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://x/dist/webview/main.js',
  styleUri: 'https://x/media/panel.css',
  nonce: 'abcdefghijklmnop1234',
};

test('the CSP is strict: nonce scripts only, no eval, no inline styles, nothing remote', () => {
  const csp = contentSecurityPolicy(parts.cspSource, parts.nonce);
  assert.equal(
    csp,
    `default-src 'none'; img-src ${parts.cspSource} data:; style-src ${parts.cspSource} 'nonce-${parts.nonce}'; script-src 'nonce-${parts.nonce}'; font-src ${parts.cspSource}`,
  );
  assert.doesNotMatch(csp, /unsafe|\*/);
});

test('the page carries the CSP and gives the nonce to its script and stylesheet', () => {
  const html = panelHtml(parts);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  assert.match(html, /<script defer src="https:\/\/x\/dist\/webview\/main.js" nonce="abcdefghijklmnop1234"><\/script>/);
  assert.match(html, /<link rel="stylesheet" href="https:\/\/x\/media\/panel.css" nonce="abcdefghijklmnop1234">/);
  assert.equal((html.match(/<script/g) ?? []).length, 1, 'one script, no inline code');
  assert.doesNotMatch(html, /style="/);
});

test('nonces are fresh, long and base64-safe; a weak nonce is refused', () => {
  const a = makeNonce();
  const b = makeNonce();
  assert.notEqual(a, b);
  assert.match(a, /^[A-Za-z0-9]{16,}$/);
  assert.throws(() => panelHtml({ ...parts, nonce: 'short' }), /nonce/);
  assert.throws(() => panelHtml({ ...parts, nonce: 'x"><script>alert(1)</script>' }), /nonce/);
});

test('URIs are attribute-escaped', () => {
  const html = panelHtml({ ...parts, scriptUri: 'https://x/a"b.js' });
  assert.match(html, /src="https:\/\/x\/a&quot;b.js"/);
});

test('an initial state rides in a JSON data block that no string in it can close or turn into markup', () => {
  const state = { title: '</script><script>alert(1)</script><!--', note: 'line\u2028separator', n: 1.5 };
  const html = panelHtml({ ...parts, initialState: state });
  const block = /<script type="application\/json" id="([^"]+)">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(block, 'one data block');
  assert.equal(block[1], INITIAL_STATE_ID);
  assert.doesNotMatch(block[2], /[<\u2028]/, 'no raw "<" or line separator inside the block');
  assert.deepEqual(JSON.parse(block[2]), state, 'the JSON reads back unchanged');
  assert.equal((html.match(/<script/g) ?? []).length, 2, 'the bundle and the data block, nothing else');
  assert.equal((html.match(/<script[^>]*nonce=/g) ?? []).length, 1, 'the data block is no script to run');
  assert.doesNotMatch(panelHtml(parts), /application\/json/, 'no block without a state');
});
