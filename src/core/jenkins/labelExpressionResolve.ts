import type { LabelExpression } from './labelExpression';
import { parseLabelExpression } from './labelExpressionParser';
import { unquoteJenkinsString } from './labelExpressionQuoting';
import { LabelExpressionSyntaxError } from './labelExpressionSyntaxError';

/** What Jenkins makes of a job's label text, and whether it had to fall back to one lax atom. */
export interface ResolvedLabel {
  readonly expression: LabelExpression;
  /** True when the text did not parse and Jenkins treats all of it (after unquoting) as a single atom. */
  readonly lax: boolean;
  /** Why it did not parse, when lax. */
  readonly syntaxError?: LabelExpressionSyntaxError;
}

/**
 * `Jenkins.getLabel(text)` without the label cache: (1) if the whole text starts and ends with the same quote
 * character, strip it and unescape; (2) parse; (3) if that fails, the whole (unquoted) text is one atom.
 * So `linux docker`, `!!linux` and `a -> b -> c` never fail: they become atoms that match no node unless one
 * is literally named so. Jenkins also returns a cached atom when one with exactly this name already exists
 * (for example a node label); that cache-dependent quirk is not modelled.
 *
 * Callers decide what blank text means: Jenkins jobs and Pipeline `node('')` treat it as "no label" before
 * ever calling getLabel.
 */
export function resolveLabel(text: string): ResolvedLabel {
  const unquoted = unquoteJenkinsString(text);
  try {
    return { expression: parseLabelExpression(unquoted), lax: false };
  } catch (err) {
    if (!(err instanceof LabelExpressionSyntaxError)) throw err;
    return { expression: { kind: 'atom', name: unquoted }, lax: true, syntaxError: err };
  }
}
