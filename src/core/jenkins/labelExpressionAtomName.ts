/**
 * Jenkins' name rules as they apply to label atoms and node names: `Jenkins.checkGoodName` (what a node
 * name may be) and `LabelAtom.needsEscape` (when an atom must be printed quoted inside an expression).
 */

const UNSAFE_CHARS = '?*/\\%!@#$^&|<>[]:;';
/** Characters that force quoting even in an otherwise good name (they would split or group tokens). */
const QUOTE_FORCING_CHARS = ' ()\t\n';

/** Java's `Character.isISOControl`. */
function isIsoControl(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/** Java's `String.trim()`: strips code units up to U+0020 from both ends. */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

/**
 * What `Jenkins.checkGoodName` would object to, as Jenkins words it, or null when the name is acceptable
 * (for example as a node name in `computer/doCreateItem`).
 */
export function jenkinsNameProblem(name: string): string | null {
  if (name.length === 0) return 'No name is specified';
  const trimmed = javaTrim(name);
  if (trimmed === '.' || trimmed === '..') return `“${trimmed}” is not an allowed name`;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i] as string;
    if (isIsoControl(name.charCodeAt(i))) return `No control code is allowed: ${JSON.stringify(name)}`;
    if (UNSAFE_CHARS.includes(ch)) return `‘${ch}’ is an unsafe character`;
  }
  if (trimmed.endsWith('.')) return 'A name cannot end with ‘.’';
  return null;
}

/** `LabelAtom.needsEscape`: true when the atom must be double-quoted inside an expression. */
export function atomNeedsQuoting(name: string): boolean {
  if (jenkinsNameProblem(name) !== null) return true;
  for (const ch of name) if (QUOTE_FORCING_CHARS.includes(ch)) return true;
  return false;
}
