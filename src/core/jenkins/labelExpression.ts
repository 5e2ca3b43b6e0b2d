import { atomNeedsQuoting } from './labelExpressionAtomName';
import { quoteJenkinsString } from './labelExpressionQuoting';

/**
 * A Jenkins label expression as a tree, mirroring `hudson.model.labels.LabelExpression`: atoms, `!`, the four
 * binary operators, and `paren` nodes that keep the parentheses a user typed (Jenkins keeps them in the
 * label's canonical name, so we must too). Build one with parseLabelExpression or resolveLabel.
 */
export type LabelExpression =
  | { readonly kind: 'atom'; readonly name: string }
  | { readonly kind: 'not'; readonly operand: LabelExpression }
  | { readonly kind: 'paren'; readonly inner: LabelExpression }
  | { readonly kind: LabelBinaryKind; readonly left: LabelExpression; readonly right: LabelExpression };

export type LabelBinaryKind = 'and' | 'or' | 'implies' | 'iff';

const OPERATOR: Record<LabelBinaryKind, string> = { and: '&&', or: '||', implies: '->', iff: '<->' };

/** `LabelOperatorPrecedence` order: a smaller number binds tighter. */
const PRECEDENCE: Record<LabelExpression['kind'], number> = {
  atom: 0,
  paren: 0,
  not: 1,
  and: 2,
  or: 3,
  implies: 4,
  iff: 5,
};

const JAVA_CLASS: Record<LabelExpression['kind'], string> = {
  atom: 'hudson.model.labels.LabelAtom',
  not: 'hudson.model.labels.LabelExpression$Not',
  paren: 'hudson.model.labels.LabelExpression$Paren',
  and: 'hudson.model.labels.LabelExpression$And',
  or: 'hudson.model.labels.LabelExpression$Or',
  implies: 'hudson.model.labels.LabelExpression$Implies',
  iff: 'hudson.model.labels.LabelExpression$Iff',
};

/**
 * True when a node whose atoms (its labels, its own name, dynamic labels) are `atoms` satisfies the
 * expression. Atoms compare case-sensitively. Both operands are always evaluated, as in Jenkins.
 */
export function labelMatches(expression: LabelExpression, atoms: ReadonlySet<string>): boolean {
  switch (expression.kind) {
    case 'atom':
      return atoms.has(expression.name);
    case 'not':
      return !labelMatches(expression.operand, atoms);
    case 'paren':
      return labelMatches(expression.inner, atoms);
    default: {
      const a = labelMatches(expression.left, atoms);
      const b = labelMatches(expression.right, atoms);
      switch (expression.kind) {
        case 'and':
          return a && b;
        case 'or':
          return a || b;
        case 'implies':
          return !a || b;
        case 'iff':
          return a === b;
      }
    }
  }
}

/** Every atom the expression mentions (`Label.listAtoms`). */
export function labelAtomsOf(expression: LabelExpression): Set<string> {
  const out = new Set<string>();
  const walk = (e: LabelExpression): void => {
    switch (e.kind) {
      case 'atom':
        out.add(e.name);
        return;
      case 'not':
        return walk(e.operand);
      case 'paren':
        return walk(e.inner);
      default:
        walk(e.left);
        walk(e.right);
    }
  };
  walk(expression);
  return out;
}

/**
 * The label's canonical name exactly as Jenkins computes `Label.getName()`: what appears in queue `why`
 * texts (`‘mesos&&linux’`), in `label/<name>/` URLs and in label caches. A lone atom is its raw name;
 * expressions are re-printed without spaces, atoms in them quoted when `LabelAtom.needsEscape` says so.
 * Note that Jenkins prints an atom containing a quote character unquoted, so such a name may not re-parse;
 * use formatLabelExpression when the text must parse back.
 */
export function labelName(expression: LabelExpression): string {
  return expression.kind === 'atom' ? expression.name : print(expression, false);
}

/**
 * The expression as text that parses back to the same tree (parseLabelExpression(format(e)) deep-equals e
 * for every parsed e) and, for parsed trees, equals Jenkins' canonical form except that atoms containing
 * `"` or `'` are quoted. Trees built by hand get the parentheses they need to survive a re-parse.
 */
export function formatLabelExpression(expression: LabelExpression): string {
  return print(expression, true);
}

/** The Java class Jenkins reports as `_class` for this label (`label/<expr>/api/json`). */
export function labelJavaClass(expression: LabelExpression): string {
  return JAVA_CLASS[expression.kind];
}

function atomText(name: string, reparseable: boolean): string {
  const quote = atomNeedsQuoting(name) || (reparseable && (name.includes('"') || name.includes("'")));
  return quote ? quoteJenkinsString(name) : name;
}

function print(e: LabelExpression, reparseable: boolean): string {
  switch (e.kind) {
    case 'atom':
      return atomText(e.name, reparseable);
    case 'paren':
      return `(${print(e.inner, reparseable)})`;
    case 'not': {
      // The grammar lets `!` apply to a primary only, so a hand-built `!!a` needs parentheses to re-parse.
      const wrap = PRECEDENCE[e.operand.kind] > PRECEDENCE.not || (reparseable && e.operand.kind === 'not');
      return `!${wrapIf(wrap, print(e.operand, reparseable))}`;
    }
    default: {
      const own = PRECEDENCE[e.kind];
      const leftWrap =
        PRECEDENCE[e.left.kind] > own || (reparseable && e.kind === 'implies' && e.left.kind === 'implies');
      // Parsed trees are left-associative, so a right operand of equal precedence only comes from hand-built
      // trees; it keeps its grouping when the text must parse back.
      const rightWrap = PRECEDENCE[e.right.kind] > own || (reparseable && PRECEDENCE[e.right.kind] === own);
      return `${wrapIf(leftWrap, print(e.left, reparseable))}${OPERATOR[e.kind]}${wrapIf(rightWrap, print(e.right, reparseable))}`;
    }
  }
}

function wrapIf(wrap: boolean, text: string): string {
  return wrap ? `(${text})` : text;
}
