/**
 * A label expression that Jenkins' grammar rejects. It carries where (a 0-based offset into the text and a
 * 1-based column), what was found there, and what would have fitted, so a settings validator can underline
 * the exact spot. Jenkins itself does not reject such text at run time: it falls back to treating the
 * whole string as one atom (see resolveLabel), which is why the message says so.
 */
export class LabelExpressionSyntaxError extends Error {
  override readonly name = 'LabelExpressionSyntaxError';
  /** 1-based column (UTF-16 code units), for messages meant for people. */
  readonly column: number;

  constructor(
    /** The expression as given. */
    readonly expression: string,
    /** 0-based offset of the offending character or token. */
    readonly position: number,
    /** What was found, already quoted for display: `‘->’`, `end of expression`. */
    readonly found: string,
    /** What the grammar would have accepted at that position, quoted for display. */
    readonly expected: readonly string[],
    /** An optional extra hint (for example how to write a double negation). */
    readonly hint?: string,
  ) {
    const column = position + 1;
    const wanted = expected.length === 0 ? '' : `; expected ${joinAlternatives(expected)}`;
    super(
      `Invalid label expression ${JSON.stringify(expression)}: unexpected ${found} at column ${column}${wanted}.` +
        (hint ? ` ${hint}` : '') +
        ' Fix the operators (&&, ||, !, ->, <->), parentheses or double quotes;' +
        ' Jenkins itself would treat the whole text as one label atom, which normally matches no node.',
    );
    this.column = column;
  }
}

function joinAlternatives(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
