import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { atomNeedsQuoting, jenkinsNameProblem } from '../../../src/core/jenkins/labelExpressionAtomName';
import { BUILT_IN_SELF_LABEL, nodeLabelAtoms } from '../../../src/core/jenkins/labelExpressionNodeAtoms';
import {
  quoteJenkinsString,
  tokenizeLabelString,
  unquoteJenkinsString,
} from '../../../src/core/jenkins/labelExpressionQuoting';

test('a node labelString splits on space, tab, CR and LF', () => {
  assert.deepEqual(tokenizeLabelString('linux docker x86_64'), ['linux', 'docker', 'x86_64']);
  assert.deepEqual(tokenizeLabelString('  a\tb\r\nc\n'), ['a', 'b', 'c']);
  assert.deepEqual(tokenizeLabelString(''), []);
  assert.deepEqual(tokenizeLabelString('   '), []);
});

test('quotes group words, may start mid-token, and an empty pair is an empty atom', () => {
  assert.deepEqual(tokenizeLabelString('"my label" linux'), ['my label', 'linux']);
  assert.deepEqual(tokenizeLabelString("'a b' c"), ['a b', 'c']);
  assert.deepEqual(tokenizeLabelString('a"b c"d e'), ['ab cd', 'e']);
  assert.deepEqual(tokenizeLabelString("'' x"), ['', 'x']);
  assert.deepEqual(tokenizeLabelString('"unterminated here'), ['unterminated here']);
});

test('a backslash escapes \\ " \' and space, and stays before anything else', () => {
  assert.deepEqual(tokenizeLabelString('a\\ b c'), ['a b', 'c']);
  assert.deepEqual(tokenizeLabelString('"say \\"hi\\""'), ['say "hi"']);
  assert.deepEqual(tokenizeLabelString('C:\\work\\x'), ['C:\\work\\x']);
  assert.deepEqual(tokenizeLabelString('\\leading'), ['\\leading']);
});

test('quote escapes what Jenkins escapes and always adds double quotes', () => {
  assert.equal(quoteJenkinsString('my label'), '"my label"');
  assert.equal(quoteJenkinsString('a"b\\c\n\r\t\f\b'), '"a\\"b\\\\c\\n\\r\\t\\f\\b"');
  assert.equal(quoteJenkinsString(''), '""');
});

test('unquote strips only a matching pair of quotes and decodes escapes', () => {
  assert.equal(unquoteJenkinsString('"a\\nb"'), 'a\nb');
  assert.equal(unquoteJenkinsString("'it\\'s'"), "it's");
  assert.equal(unquoteJenkinsString('"x\''), '"x\'');
  assert.equal(unquoteJenkinsString('plain'), 'plain');
  assert.equal(unquoteJenkinsString('"'), '"');
  assert.equal(unquoteJenkinsString('"\\u00e9t\\u00E9"'), 'été');
  assert.equal(unquoteJenkinsString('"\\q"'), 'q');
});

test('Jenkins name rules (checkGoodName)', () => {
  assert.equal(jenkinsNameProblem('agent-1'), null);
  assert.equal(jenkinsNameProblem('my agent'), null);
  assert.equal(jenkinsNameProblem(''), 'No name is specified');
  assert.match(jenkinsNameProblem('..') ?? '', /is not an allowed name/);
  assert.match(jenkinsNameProblem(' . ') ?? '', /is not an allowed name/);
  assert.equal(jenkinsNameProblem('a:b'), '‘:’ is an unsafe character');
  for (const ch of '?*/\\%!@#$^&|<>[];') assert.ok(jenkinsNameProblem(`a${ch}b`), `${ch} must be refused`);
  assert.match(jenkinsNameProblem('a\u0007b') ?? '', /control code/);
  assert.match(jenkinsNameProblem('a\u0085b') ?? '', /control code/);
  assert.equal(jenkinsNameProblem('agent.'), 'A name cannot end with ‘.’');
  assert.equal(jenkinsNameProblem('a.b'), null);
});

test('atoms need quoting for bad names and for space, parentheses, tab and newline', () => {
  assert.equal(atomNeedsQuoting('linux'), false);
  assert.equal(atomNeedsQuoting('a-b.c_d=e'), false);
  assert.equal(atomNeedsQuoting('my label'), true);
  assert.equal(atomNeedsQuoting('a(b'), true);
  assert.equal(atomNeedsQuoting('os:linux'), true);
  assert.equal(atomNeedsQuoting(''), true);
  assert.equal(atomNeedsQuoting("it's"), false);
});

test('a node offers its label atoms, its name and dynamic labels', () => {
  assert.deepEqual([...nodeLabelAtoms('agent-1', '"my label" linux', ['dyn'])].sort(), [
    'agent-1',
    'dyn',
    'linux',
    'my label',
  ]);
  assert.deepEqual([...nodeLabelAtoms(BUILT_IN_SELF_LABEL, null)], ['built-in']);
});
