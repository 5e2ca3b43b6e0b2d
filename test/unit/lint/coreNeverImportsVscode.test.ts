import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';

// The house rule that keeps the engine editor-free is enforced by lint; this proves the rule bites.
const root = join(__dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });

async function lint(code: string, file: string) {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  assert.ok(result);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax');
}

test('an import of vscode in src/core fails lint', async () => {
  const messages = await lint("import * as vscode from 'vscode';\nexport const x = vscode;\n", 'src/core/mesos/example.ts');
  assert.equal(messages.length, 1);
  assert.match(messages[0]!.message, /src\/core must not import vscode/);
  assert.equal(messages[0]!.severity, 2);
});

test('a require() or dynamic import of vscode in src/core fails lint', async () => {
  const required = await lint("// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const v = require('vscode');\n", 'src/core/x.ts');
  assert.equal(required.length, 1);
  const dynamic = await lint("export const v = import('vscode');\n", 'src/core/x.ts');
  assert.equal(dynamic.length, 1);
});

test('the same import in src/ui is allowed', async () => {
  const messages = await lint("import * as vscode from 'vscode';\nexport const x = vscode;\n", 'src/ui/example.ts');
  assert.deepEqual(messages, []);
});
