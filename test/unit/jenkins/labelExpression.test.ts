import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  formatLabelExpression,
  labelAtomsOf,
  labelJavaClass,
  labelMatches,
  labelName,
  type LabelExpression,
} from '../../../src/core/jenkins/labelExpression';
import { parseLabelExpression } from '../../../src/core/jenkins/labelExpressionParser';
import { resolveLabel } from '../../../src/core/jenkins/labelExpressionResolve';
import { LabelExpressionSyntaxError } from '../../../src/core/jenkins/labelExpressionSyntaxError';
import { nodeLabelAtoms } from '../../../src/core/jenkins/labelExpressionNodeAtoms';

const atom = (name: string): LabelExpression => ({ kind: 'atom', name });
const not = (operand: LabelExpression): LabelExpression => ({ kind: 'not', operand });
const paren = (inner: LabelExpression): LabelExpression => ({ kind: 'paren', inner });
const and = (left: LabelExpression, right: LabelExpression): LabelExpression => ({ kind: 'and', left, right });
const or = (left: LabelExpression, right: LabelExpression): LabelExpression => ({ kind: 'or', left, right });
const implies = (left: LabelExpression, right: LabelExpression): LabelExpression => ({ kind: 'implies', left, right });
const iff = (left: LabelExpression, right: LabelExpression): LabelExpression => ({ kind: 'iff', left, right });

function syntaxError(text: string): LabelExpressionSyntaxError {
  try {
    parseLabelExpression(text);
  } catch (err) {
    assert.ok(err instanceof LabelExpressionSyntaxError, `expected a LabelExpressionSyntaxError for ${text}`);
    return err;
  }
  assert.fail(`${JSON.stringify(text)} parsed, but Jenkins' grammar rejects it`);
}

describe('the reference worked examples (§5.7)', () => {
  // Node agent-1 with labelString `linux docker x86_64`.
  const agent1 = nodeLabelAtoms('agent-1', 'linux docker x86_64');
  const table: { input: string; name: string; matches: boolean; lax?: boolean }[] = [
    { input: 'linux', name: 'linux', matches: true },
    { input: 'linux && docker', name: 'linux&&docker', matches: true },
    { input: 'linux && !docker', name: 'linux&&!docker', matches: false },
    { input: 'windows || docker && linux', name: 'windows||docker&&linux', matches: true },
    { input: '(windows || docker) && !arm', name: '(windows||docker)&&!arm', matches: true },
    { input: '!linux || docker', name: '!linux||docker', matches: true },
    { input: 'x86_64 && gpu -> cuda', name: 'x86_64&&gpu->cuda', matches: true },
    { input: 'linux -> gpu', name: 'linux->gpu', matches: false },
    { input: 'linux <-> docker <-> gpu', name: 'linux<->docker<->gpu', matches: false },
    { input: 'agent-1', name: 'agent-1', matches: true },
    { input: '"x86_64" && linux', name: 'x86_64&&linux', matches: true },
    { input: 'linux docker', name: 'linux docker', matches: false, lax: true },
    { input: 'a -> b -> c', name: 'a -> b -> c', matches: false, lax: true },
    { input: "'linux'", name: 'linux', matches: true },
    { input: '"linux"||"gpu box"', name: 'linux"||"gpu box', matches: false, lax: true },
  ];
  for (const row of table) {
    test(`${row.input} → ${row.name}, agent-1 ${row.matches ? 'yes' : 'no'}`, () => {
      const resolved = resolveLabel(row.input);
      assert.equal(labelName(resolved.expression), row.name);
      assert.equal(labelMatches(resolved.expression, agent1), row.matches);
      assert.equal(resolved.lax, row.lax ?? false);
      if (row.lax) assert.deepEqual(resolved.expression, atom(row.name));
    });
  }

  test('the node atom set is its labels plus its own name', () => {
    assert.deepEqual([...agent1].sort(), ['agent-1', 'docker', 'linux', 'x86_64']);
  });

  test('the composite readings the table states hold structurally', () => {
    assert.deepEqual(
      parseLabelExpression('windows || docker && linux'),
      or(atom('windows'), and(atom('docker'), atom('linux'))),
    );
    assert.deepEqual(parseLabelExpression('!linux || docker'), or(not(atom('linux')), atom('docker')));
    assert.deepEqual(
      parseLabelExpression('x86_64 && gpu -> cuda'),
      implies(and(atom('x86_64'), atom('gpu')), atom('cuda')),
    );
    assert.deepEqual(
      parseLabelExpression('linux <-> docker <-> gpu'),
      iff(iff(atom('linux'), atom('docker')), atom('gpu')),
    );
  });
});

describe('cases from Jenkins LabelExpressionTest (§5.8)', () => {
  test('canonical names', () => {
    assert.equal(labelName(parseLabelExpression('foo||bar&&zot')), 'foo||bar&&zot');
    assert.equal(labelName(parseLabelExpression('(foo||bar)&&zot')), '(foo||bar)&&zot');
    assert.equal(labelName(parseLabelExpression('  ( foo || bar )  && zot')), '(foo||bar)&&zot');
    assert.equal(labelName(parseLabelExpression('!foo <-> bar')), '!foo<->bar');
  });

  test('--a----b-c- is one atom', () => {
    assert.deepEqual(parseLabelExpression('--a----b-c-'), atom('--a----b-c-'));
  });

  for (const bad of ['foo bar', 'foo (bar)', 'a <- b', 'a - b', '->']) {
    test(`${JSON.stringify(bad)} is a parse error`, () => {
      syntaxError(bad);
    });
  }
});

describe('lexer rules (§5.2)', () => {
  for (const single of ['a-b', '-1', '--', 'a.b', 'x86_64', 'os:linux', 'a/b', 'a=b', 'ünïcode']) {
    test(`${single} is a single atom`, () => {
      assert.deepEqual(parseLabelExpression(single), atom(single));
    });
  }

  test('a->b is an implication, a-->b is a- implies b, a->-b is a implies -b', () => {
    assert.deepEqual(parseLabelExpression('a->b'), implies(atom('a'), atom('b')));
    assert.deepEqual(parseLabelExpression('a-->b'), implies(atom('a-'), atom('b')));
    assert.deepEqual(parseLabelExpression('a->-b'), implies(atom('a'), atom('-b')));
  });

  test('<-> needs no spaces and binds loosest', () => {
    assert.deepEqual(parseLabelExpression('a<->b||c'), iff(atom('a'), or(atom('b'), atom('c'))));
  });

  test('CR and LF are not whitespace: they become part of an atom', () => {
    assert.deepEqual(parseLabelExpression('a\nb'), atom('a\nb'));
    assert.deepEqual(parseLabelExpression('a\r\n&&b'), and(atom('a\r\n'), atom('b')));
  });

  test('tabs are whitespace', () => {
    assert.deepEqual(parseLabelExpression('a\t&&\tb'), and(atom('a'), atom('b')));
  });

  test('a lone &, |, <, > or a single quote is an error at its position', () => {
    const amp = syntaxError('a & b');
    assert.equal(amp.position, 2);
    assert.deepEqual(amp.expected, ['‘&&’']);
    assert.equal(syntaxError('a | b').position, 2);
    const lt = syntaxError('a <- b');
    assert.equal(lt.position, 2);
    assert.deepEqual(lt.expected, ['‘<->’']);
    assert.equal(syntaxError('a > b').position, 2);
    const quote = syntaxError("'linux'");
    assert.equal(quote.position, 0);
    assert.match(quote.message, /Single quotes do not delimit strings/);
  });

  test('double-quoted strings decode Jenkins escapes and may hold operators', () => {
    assert.deepEqual(parseLabelExpression('"a && b"'), atom('a && b'));
    assert.deepEqual(parseLabelExpression('"say \\"hi\\""'), atom('say "hi"'));
    assert.deepEqual(parseLabelExpression('"tab\\there"'), atom('tab\there'));
    assert.deepEqual(parseLabelExpression('"back\\\\slash"'), atom('back\\slash'));
    assert.deepEqual(parseLabelExpression('"it\\\'s"'), atom("it's"));
    assert.deepEqual(parseLabelExpression('""'), atom(''));
  });

  test('string literals reject unknown escapes, line breaks and a missing close quote', () => {
    const unicode = syntaxError('"\\u0041"');
    assert.equal(unicode.position, 1);
    assert.equal(syntaxError('"a\nb"').position, 2);
    const open = syntaxError('linux && "gpu');
    assert.equal(open.position, 9);
    assert.deepEqual(open.expected, ['a closing ‘"’']);
  });
});

describe('grammar: precedence, associativity, errors', () => {
  test('! binds tighter than &&, && than ||, || than ->, -> than <->', () => {
    assert.deepEqual(
      parseLabelExpression('!a && b || c -> d <-> e'),
      iff(implies(or(and(not(atom('a')), atom('b')), atom('c')), atom('d')), atom('e')),
    );
    assert.deepEqual(
      parseLabelExpression('a <-> b -> c || d && !e'),
      iff(atom('a'), implies(atom('b'), or(atom('c'), and(atom('d'), not(atom('e')))))),
    );
  });

  test('&&, || and <-> are left-associative', () => {
    assert.deepEqual(parseLabelExpression('a&&b&&c'), and(and(atom('a'), atom('b')), atom('c')));
    assert.deepEqual(parseLabelExpression('a||b||c'), or(or(atom('a'), atom('b')), atom('c')));
    assert.deepEqual(parseLabelExpression('a<->b<->c'), iff(iff(atom('a'), atom('b')), atom('c')));
  });

  test('-> does not chain, but parentheses make either grouping explicit', () => {
    const err = syntaxError('a -> b -> c');
    assert.equal(err.position, 7);
    assert.equal(err.column, 8);
    assert.equal(err.found, '‘->’');
    assert.ok(!err.expected.includes('‘->’'));
    assert.ok(err.expected.includes('‘<->’'));
    assert.match(err.message, /does not chain/);
    assert.deepEqual(parseLabelExpression('(a->b)->c'), implies(paren(implies(atom('a'), atom('b'))), atom('c')));
    assert.deepEqual(parseLabelExpression('a->(b->c)'), implies(atom('a'), paren(implies(atom('b'), atom('c')))));
    assert.deepEqual(
      parseLabelExpression('a->b<->c->d'),
      iff(implies(atom('a'), atom('b')), implies(atom('c'), atom('d'))),
    );
  });

  test('! takes one primary: !!a is an error, !(!a) is fine', () => {
    const err = syntaxError('!!a');
    assert.equal(err.position, 1);
    assert.match(err.message, /!\(!a\)/);
    assert.deepEqual(parseLabelExpression('!(!a)'), not(paren(not(atom('a')))));
    assert.deepEqual(parseLabelExpression('!(a&&b)'), not(paren(and(atom('a'), atom('b')))));
  });

  test('errors say where and what was expected', () => {
    const unclosed = syntaxError('(a || b');
    assert.equal(unclosed.position, 7);
    assert.equal(unclosed.found, 'end of expression');
    assert.ok(unclosed.expected.includes('‘)’'));
    const dangling = syntaxError('a && ');
    assert.equal(dangling.position, 5);
    assert.deepEqual(dangling.expected, ['‘(’', '‘!’', 'an atom', 'a quoted string']);
    const empty = syntaxError('');
    assert.equal(empty.position, 0);
    assert.equal(empty.found, 'end of expression');
    const stray = syntaxError('a)');
    assert.equal(stray.position, 1);
    assert.equal(stray.found, '‘)’');
    assert.ok(stray.expected.includes('end of expression'));
    const adjacent = syntaxError('linux docker');
    assert.equal(adjacent.found, 'atom ‘docker’');
    assert.match(adjacent.message, /column 7/);
    assert.match(adjacent.message, /one label atom/);
  });
});

describe('evaluation', () => {
  const truth = (text: string, atoms: string[]) => labelMatches(parseLabelExpression(text), new Set(atoms));

  test('implication and equivalence follow their truth tables', () => {
    assert.equal(truth('a->b', []), true);
    assert.equal(truth('a->b', ['b']), true);
    assert.equal(truth('a->b', ['a']), false);
    assert.equal(truth('a->b', ['a', 'b']), true);
    assert.equal(truth('a<->b', []), true);
    assert.equal(truth('a<->b', ['a']), false);
    assert.equal(truth('a<->b', ['b']), false);
    assert.equal(truth('a<->b', ['a', 'b']), true);
  });

  test('atoms compare case-sensitively', () => {
    assert.equal(truth('Linux', ['linux']), false);
  });

  test('(a->b)->c and a->(b->c) differ where Jenkins says chaining would be ambiguous', () => {
    assert.equal(truth('(a->b)->c', ['b']), false);
    assert.equal(truth('a->(b->c)', ['b']), true);
  });

  test('labelAtomsOf lists every mentioned atom', () => {
    assert.deepEqual([...labelAtomsOf(parseLabelExpression('(a||b)&&!c->a'))].sort(), ['a', 'b', 'c']);
  });
});

describe('printing', () => {
  test('atoms that fail node-name rules or contain spaces, parentheses, tabs or newlines print quoted inside expressions', () => {
    assert.equal(labelName(parseLabelExpression('"my label" && linux')), '"my label"&&linux');
    assert.equal(labelName(parseLabelExpression('os:linux && docker')), '"os:linux"&&docker');
    assert.equal(labelName(parseLabelExpression('"a(b)" || c')), '"a(b)"||c');
    assert.equal(labelName(parseLabelExpression('"tab\\there" || c')), '"tab\\there"||c');
    assert.equal(labelName(parseLabelExpression('"trailing." || c')), '"trailing."||c');
    assert.equal(labelName(parseLabelExpression('"" || c')), '""||c');
  });

  test('a lone atom is named by its raw text', () => {
    assert.equal(labelName(parseLabelExpression('"my label"')), 'my label');
    assert.equal(formatLabelExpression(parseLabelExpression('"my label"')), '"my label"');
  });

  test('Jenkins prints atoms with quote characters raw; formatLabelExpression quotes them so they parse back', () => {
    const e = parseLabelExpression('"it\'s" && b');
    assert.equal(labelName(e), "it's&&b");
    assert.equal(formatLabelExpression(e), '"it\'s"&&b');
    assert.deepEqual(parseLabelExpression(formatLabelExpression(e)), e);
  });

  test('typed parentheses are kept; implied ones are not added', () => {
    assert.equal(labelName(parseLabelExpression('((a))')), '((a))');
    assert.equal(labelName(parseLabelExpression('(a&&b)||c')), '(a&&b)||c');
    assert.equal(labelName(parseLabelExpression('a&&(b||c)')), 'a&&(b||c)');
  });

  test('hand-built trees get the parentheses the precedence needs', () => {
    assert.equal(labelName(and(or(atom('a'), atom('b')), atom('c'))), '(a||b)&&c');
    assert.equal(labelName(not(and(atom('a'), atom('b')))), '!(a&&b)');
    assert.equal(labelName(iff(atom('a'), implies(atom('b'), atom('c')))), 'a<->b->c');
  });

  test('formatLabelExpression keeps hand-built groupings that Jenkins would print unparseably', () => {
    assert.equal(labelName(not(not(atom('a')))), '!!a');
    assert.equal(formatLabelExpression(not(not(atom('a')))), '!(!a)');
    assert.equal(labelName(implies(implies(atom('a'), atom('b')), atom('c'))), 'a->b->c');
    assert.equal(formatLabelExpression(implies(implies(atom('a'), atom('b')), atom('c'))), '(a->b)->c');
    assert.equal(formatLabelExpression(and(atom('a'), and(atom('b'), atom('c')))), 'a&&(b&&c)');
  });

  test('label classes match Jenkins', () => {
    assert.equal(labelJavaClass(parseLabelExpression('a')), 'hudson.model.labels.LabelAtom');
    assert.equal(labelJavaClass(parseLabelExpression('a&&b')), 'hudson.model.labels.LabelExpression$And');
    assert.equal(labelJavaClass(parseLabelExpression('a||b')), 'hudson.model.labels.LabelExpression$Or');
    assert.equal(labelJavaClass(parseLabelExpression('!a')), 'hudson.model.labels.LabelExpression$Not');
    assert.equal(labelJavaClass(parseLabelExpression('a->b')), 'hudson.model.labels.LabelExpression$Implies');
    assert.equal(labelJavaClass(parseLabelExpression('a<->b')), 'hudson.model.labels.LabelExpression$Iff');
    assert.equal(labelJavaClass(parseLabelExpression('(a)')), 'hudson.model.labels.LabelExpression$Paren');
  });
});

describe('round trip', () => {
  // A tiny seeded generator so failures reproduce.
  function rng(seed: number) {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }
  const names = ['linux', 'docker', 'x86_64', 'a-b', 'my label', 'os:linux', "it's", 'q"uote', '', 'tab\there', 'ünï'];

  function randomTree(next: () => number, depth: number): LabelExpression {
    const r = next();
    if (depth <= 0 || r < 0.25) return atom(names[Math.floor(next() * names.length)] as string);
    if (r < 0.35) return not(randomTree(next, depth - 1));
    if (r < 0.42) return paren(randomTree(next, depth - 1));
    const kinds = ['and', 'or', 'implies', 'iff'] as const;
    const kind = kinds[Math.floor(next() * kinds.length)] as (typeof kinds)[number];
    return { kind, left: randomTree(next, depth - 1), right: randomTree(next, depth - 1) };
  }

  function allAtomSets(atoms: string[]): Set<string>[] {
    const sets: Set<string>[] = [];
    for (let mask = 0; mask < 1 << atoms.length; mask++) {
      sets.push(new Set(atoms.filter((_, i) => mask & (1 << i))));
    }
    return sets;
  }

  test('formatting any tree gives text that parses to an equivalent tree, and printing is then stable', () => {
    const next = rng(20240611);
    for (let i = 0; i < 400; i++) {
      const tree = randomTree(next, 5);
      const text = formatLabelExpression(tree);
      const reparsed = parseLabelExpression(text);
      assert.equal(formatLabelExpression(reparsed), text, `unstable print for ${text}`);
      const atoms = [...labelAtomsOf(tree)];
      for (const set of allAtomSets(atoms.slice(0, 6))) {
        assert.equal(labelMatches(reparsed, set), labelMatches(tree, set), `${text} changed meaning`);
      }
    }
  });

  test('a parsed tree parses back to exactly itself, and its canonical name is stable', () => {
    const corpus = [
      'linux && docker',
      '(windows || docker) && !arm',
      'x86_64 && gpu -> cuda',
      '!foo <-> bar',
      '"my label" && (a || "b c") -> !(d)',
      'a<->(b<->c)',
      '((a))||b&&c',
      '"os:linux"&&!"x y"',
    ];
    for (const text of corpus) {
      const parsed = parseLabelExpression(text);
      assert.deepEqual(parseLabelExpression(formatLabelExpression(parsed)), parsed, text);
      assert.deepEqual(parseLabelExpression(labelName(parsed)), parsed, text);
      assert.equal(labelName(parseLabelExpression(labelName(parsed))), labelName(parsed));
    }
  });
});

describe('resolveLabel (Jenkins.getLabel)', () => {
  test('strips one pair of surrounding quotes, then parses', () => {
    assert.deepEqual(resolveLabel('"linux && docker"').expression, and(atom('linux'), atom('docker')));
    assert.deepEqual(resolveLabel("'a||b'").expression, or(atom('a'), atom('b')));
  });

  test('whole-string unquoting mangles "a b"&&"c d"; parentheses avoid it', () => {
    const mangled = resolveLabel('"a b"&&"c d"');
    assert.equal(mangled.lax, true);
    assert.equal(labelName(mangled.expression), 'a b"&&"c d');
    const fine = resolveLabel('("a b"&&"c d")');
    assert.equal(fine.lax, false);
    assert.equal(labelName(fine.expression), '("a b"&&"c d")');
  });

  test('unparseable text becomes one lax atom and keeps the syntax error', () => {
    const r = resolveLabel('!!linux');
    assert.equal(r.lax, true);
    assert.deepEqual(r.expression, atom('!!linux'));
    assert.ok(r.syntaxError instanceof LabelExpressionSyntaxError);
    assert.equal(labelMatches(r.expression, nodeLabelAtoms('n', 'linux')), false);
    assert.equal(labelMatches(r.expression, nodeLabelAtoms('!!linux', '')), true);
  });

  test('escapes in whole-string quotes are decoded, including \\uXXXX', () => {
    assert.deepEqual(resolveLabel('"tab\\tand\\u0041"').expression, atom('tab\tandA'));
  });
});
