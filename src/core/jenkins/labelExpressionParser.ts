import type { LabelBinaryKind, LabelExpression } from './labelExpression';
import { describeToken, tokenizeLabelExpression, type LabelToken } from './labelExpressionLexer';
import { LabelExpressionSyntaxError } from './labelExpressionSyntaxError';

/**
 * Parses a label expression strictly by Jenkins' grammar (`LabelExpressionParser.g4`):
 *
 * ```
 * expr := iff EOF
 * iff  := impl ( "<->" impl )*      left-associative
 * impl := or ( "->" or )?           not chainable: a->b->c is an error
 * or   := and ( "||" and )*         left-associative
 * and  := not ( "&&" not )*         left-associative
 * not  := prim | "!" prim           "!!a" is an error, "!(!a)" is fine
 * prim := "(" iff ")" | ATOM | STRINGLITERAL
 * ```
 *
 * Throws LabelExpressionSyntaxError. This is what Jenkins' form validation does; at run time Jenkins is lax
 * (resolveLabel).
 */
export function parseLabelExpression(expression: string): LabelExpression {
  return new Parser(expression, tokenizeLabelExpression(expression)).parse();
}

class Parser {
  private index = 0;
  /** Whether the most recently completed `impl` used its one `->`; decides what an error may suggest. */
  private lastImplHadArrow = false;

  constructor(
    private readonly expression: string,
    private readonly tokens: readonly LabelToken[],
  ) {}

  parse(): LabelExpression {
    const result = this.iff(0);
    const token = this.peek();
    if (token.kind !== 'end') this.fail(token, this.continuations('end of expression'));
    return result;
  }

  private peek(): LabelToken {
    return this.tokens[this.index] as LabelToken;
  }

  private take(): LabelToken {
    return this.tokens[this.index++] as LabelToken;
  }

  private iff(depth: number): LabelExpression {
    let left = this.impl(depth);
    while (this.peek().kind === 'iff') {
      this.take();
      left = binary('iff', left, this.impl(depth));
    }
    return left;
  }

  private impl(depth: number): LabelExpression {
    const left = this.or(depth);
    if (this.peek().kind !== 'implies') {
      this.lastImplHadArrow = false;
      return left;
    }
    this.take();
    const result = binary('implies', left, this.or(depth));
    this.lastImplHadArrow = true;
    return result;
  }

  private or(depth: number): LabelExpression {
    let left = this.and(depth);
    while (this.peek().kind === 'or') {
      this.take();
      left = binary('or', left, this.and(depth));
    }
    return left;
  }

  private and(depth: number): LabelExpression {
    let left = this.not(depth);
    while (this.peek().kind === 'and') {
      this.take();
      left = binary('and', left, this.not(depth));
    }
    return left;
  }

  private not(depth: number): LabelExpression {
    if (this.peek().kind !== 'not') return this.prim(depth, false);
    this.take();
    return { kind: 'not', operand: this.prim(depth, true) };
  }

  private prim(depth: number, afterNot: boolean): LabelExpression {
    const token = this.peek();
    switch (token.kind) {
      case 'atom':
        this.take();
        return { kind: 'atom', name: token.value };
      case 'string':
        this.take();
        return { kind: 'atom', name: token.value };
      case 'lparen': {
        this.take();
        const inner = this.iff(depth + 1);
        const close = this.peek();
        if (close.kind !== 'rparen') this.fail(close, this.continuations('‘)’'));
        this.take();
        return { kind: 'paren', inner };
      }
      default: {
        const hint =
          afterNot && token.kind === 'not'
            ? '‘!’ applies to one atom or parenthesised group only: write ‘!(!a)’ instead of ‘!!a’.'
            : undefined;
        return this.fail(
          token,
          ['‘(’', '‘!’', 'an atom', 'a quoted string'].filter((e) => !afterNot || e !== '‘!’'),
          hint,
        );
      }
    }
  }

  /** What may follow a complete operand here, ending with the closer of the current level. */
  private continuations(closer: string): string[] {
    const ops = ['‘&&’', '‘||’'];
    if (!this.lastImplHadArrow) ops.push('‘->’');
    ops.push('‘<->’', closer);
    return ops;
  }

  private fail(token: LabelToken, expected: string[], hint?: string): never {
    const chained =
      token.kind === 'implies' && this.lastImplHadArrow
        ? '‘->’ does not chain: write ‘(a->b)->c’ or ‘a->(b->c)’.'
        : undefined;
    throw new LabelExpressionSyntaxError(this.expression, token.start, describeToken(token), expected, hint ?? chained);
  }
}

function binary(kind: LabelBinaryKind, left: LabelExpression, right: LabelExpression): LabelExpression {
  return { kind, left, right };
}
