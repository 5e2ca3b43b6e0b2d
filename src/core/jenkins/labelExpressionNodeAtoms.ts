import { tokenizeLabelString } from './labelExpressionQuoting';

/** The self label of the controller's built-in node (`master` on instances that never migrated). */
export const BUILT_IN_SELF_LABEL = 'built-in';

/**
 * The atom set a node offers to label expressions: the atoms of its labelString (split as `Label.parse`
 * does) plus its self label, which is the node's name. Jenkins adds labels from LabelFinder plugins too;
 * pass them as `dynamicLabels`.
 */
export function nodeLabelAtoms(
  nodeName: string,
  labelString: string | null | undefined,
  dynamicLabels: Iterable<string> = [],
): Set<string> {
  const atoms = new Set(tokenizeLabelString(labelString ?? ''));
  atoms.add(nodeName);
  for (const label of dynamicLabels) atoms.add(label);
  return atoms;
}
