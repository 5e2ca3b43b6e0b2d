import { LabelExpressionSyntaxError } from './labelExpressionSyntaxError';
import { unquoteJenkinsString } from './labelExpressionQuoting';

/**
 * The token stream of Jenkins' label-expression lexer (`LabelExpressionLexer.g4`). Whitespace is only
 * space and tab; CR and LF are ordinary atom characters. A `-` belongs to an atom unless the next character
 * is `>` (then it starts `->`), so `a-->b` is `a-` implies `b`. Single quotes delimit nothing.
 */
export type LabelTokenKind = 'and' | 'or' | 'not' | 'implies' | 'iff' | 'lparen' | 'rparen' | 'atom' | 'string' | 'end';

export interface LabelToken {
  readonly kind: LabelTokenKind;
  /** The source text of the token (empty for `end`). */
  readonly text: string;
  /** For `atom` the text, for `string` the unescaped content; otherwise the text. */
  readonly value: string;
  /** 0-based offset of the first character. */
  readonly start: number;
}

const NOT_ATOM_CHARS = '&|!<>() \t"\'-';
const STRING_ESCAPES = 'btnfr"\'\\';

/** Describes a token for error messages: `‘->’`, `atom ‘linux’`, `end of expression`. */
export function describeToken(token: LabelToken): string {
  switch (token.kind) {
    case 'end':
      return 'end of expression';
    case 'atom':
      return `atom ‘${token.text}’`;
    case 'string':
      return `quoted string ${token.text}`;
    default:
      return `‘${token.text}’`;
  }
}

export function tokenizeLabelExpression(expression: string): LabelToken[] {
  const tokens: LabelToken[] = [];
  const n = expression.length;
  let i = 0;
  const fail = (at: number, found: string, expected: string[], hint?: string): never => {
    throw new LabelExpressionSyntaxError(expression, at, found, expected, hint);
  };
  while (i < n) {
    const c = expression[i] as string;
    const next = expression[i + 1];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const start = i;
    const push = (kind: LabelTokenKind, text: string, value = text) => {
      tokens.push({ kind, text, value, start });
      i = start + text.length;
    };
    switch (c) {
      case '&':
        if (next === '&') push('and', '&&');
        else fail(i, '‘&’', ['‘&&’'], 'A single ‘&’ is not an operator.');
        continue;
      case '|':
        if (next === '|') push('or', '||');
        else fail(i, '‘|’', ['‘||’'], 'A single ‘|’ is not an operator.');
        continue;
      case '!':
        push('not', '!');
        continue;
      case '(':
        push('lparen', '(');
        continue;
      case ')':
        push('rparen', ')');
        continue;
      case '<':
        if (next === '-' && expression[i + 2] === '>') push('iff', '<->');
        else fail(i, '‘<’', ['‘<->’']);
        continue;
      case '>':
        fail(i, '‘>’', ['‘->’', '‘<->’'], 'A ‘>’ may only appear in ‘->’ or ‘<->’, or inside double quotes.');
        continue;
      case "'":
        fail(i, "‘'’", [], 'Single quotes do not delimit strings in label expressions; use double quotes.');
        continue;
      case '"': {
        let j = i + 1;
        for (;;) {
          if (j >= n) fail(i, 'an unterminated quoted string', ['a closing ‘"’']);
          const d = expression[j] as string;
          if (d === '"') break;
          if (d === '\r' || d === '\n') fail(j, 'a line break inside a quoted string', ['a closing ‘"’']);
          if (d === '\\') {
            const e = expression[j + 1];
            if (e === undefined || !STRING_ESCAPES.includes(e)) {
              fail(j, `the escape ‘\\${e ?? ''}’`, ['one of \\b \\t \\n \\f \\r \\" \\\' \\\\']);
            }
            j += 2;
            continue;
          }
          j++;
        }
        const text = expression.slice(i, j + 1);
        push('string', text, unquoteJenkinsString(text));
        continue;
      }
      default: {
        if (c === '-' && next === '>') {
          push('implies', '->');
          continue;
        }
        let j = i;
        while (j < n) {
          const d = expression[j] as string;
          if (d === '-') {
            if (expression[j + 1] === '>') break;
          } else if (NOT_ATOM_CHARS.includes(d)) {
            break;
          }
          j++;
        }
        push('atom', expression.slice(i, j));
        continue;
      }
    }
  }
  tokens.push({ kind: 'end', text: '', value: '', start: n });
  return tokens;
}
