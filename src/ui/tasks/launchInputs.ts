// The launch wizard's text inputs: how each is checked (a message for the input box, or undefined when the
// text is fine) and read. No vscode here, so that every rule is unit-tested under plain Node.
import { LaunchRequestError } from '../../core/scheduler/launchRequestError';
import { parsePlacementConstraint } from '../../core/scheduler/placementConstraint';
import { CONSTRAINT_OPERATORS, ENVIRONMENT_NAME, MAX_INSTANCES } from '../../core/scheduler/taskDefinitionEntry';

export const NAME_MAX = 200;

/** Either the value read from the text, or why it cannot be read (worded for the input box). */
export type Read<T> = { readonly value: T; readonly error?: undefined } | { readonly error: string };

export function validateTaskName(text: string): string | undefined {
  if (text.trim() === '') return 'Give the task a name (Mesos shows it; the task id is made from it).';
  if (text.length > NAME_MAX) return `Keep the name under ${NAME_MAX} characters (it has ${text.length}).`;
  return undefined;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function readNumber(text: string, what: string): Read<number> {
  const t = text.trim();
  if (t === '') return { error: `Enter ${what}.` };
  // Number('') is 0 and Number('0x10') is 16: only plain decimals are sizes
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t))
    return { error: `${capital(what)} must be a number, like 0.5 or 256 ("${t}" is not).` };
  const value = Number(t);
  if (!Number.isFinite(value)) return { error: `${capital(what)} is too large.` };
  return { value };
}

/** cpus and mem: a number > 0. */
export function readPositive(text: string, what: string): Read<number> {
  const n = readNumber(text, what);
  if (n.error !== undefined) return n;
  if (!(n.value > 0)) return { error: `${capital(what)} must be > 0.` };
  return n;
}

/** disk: a number >= 0 (0 asks for none). */
export function readNonNegative(text: string, what: string): Read<number> {
  const n = readNumber(text, what);
  if (n.error !== undefined) return n;
  if (n.value < 0) return { error: `${capital(what)} must be 0 or more.` };
  return n;
}

export function readInstances(text: string): Read<number> {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { error: 'Instances must be a whole number, like 1 or 3.' };
  const n = Number(t);
  if (n < 1) return { error: 'Instances must be at least 1.' };
  if (n > MAX_INSTANCES) return { error: `At most ${MAX_INSTANCES} instances per launch.` };
  return { value: n };
}

/**
 * Splits a command line into words as a shell would for plain words and quotes: spaces separate words,
 * "double quotes" (with \" and \\ inside) and 'single quotes' keep spaces, a backslash escapes the next
 * character. Nothing is expanded.
 */
export function splitWords(text: string): Read<string[]> {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (ch === '\\') {
      if (i + 1 >= text.length)
        return { error: 'A backslash at the end escapes nothing: remove it or add the character it escapes.' };
      word += text[++i];
    } else if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { error: `The single quote at column ${i + 1} is not closed.` };
      word += text.slice(i + 1, end);
      i = end;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && (text[j + 1] === '"' || text[j + 1] === '\\')) j++;
        word += text[j];
      }
      if (j >= text.length) return { error: `The double quote at column ${i + 1} is not closed.` };
      i = j;
    } else word += ch;
  }
  if (inWord) words.push(word);
  return { value: words };
}

/** The program and its arguments, for a launch without a shell. */
export function readArguments(text: string): Read<string[]> {
  const words = splitWords(text);
  if (words.error !== undefined) return words;
  if (words.value.length === 0 || words.value[0]!.trim() === '')
    return { error: 'Enter the program to run and its arguments, e.g. python3 -m http.server 8080.' };
  return words;
}

export function validateShellCommand(text: string): string | undefined {
  return text.trim() === ''
    ? 'Enter the command to run, e.g. echo hello; sleep 60 (it runs with /bin/sh -c).'
    : undefined;
}

/** Empty means "no container"; else a Docker image reference. */
export function validateImage(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (/\s/.test(t)) return 'An image reference has no spaces, e.g. alpine:3.20 or docker.io/library/redis:7.';
  if (!/^[a-z0-9]/i.test(t)) return 'An image reference starts with a letter or digit, e.g. alpine:3.20.';
  return undefined;
}

/**
 * Constraints as `attribute:OPERATOR[:value]`, several separated by `;` (e.g. `hostname:UNIQUE;
 * rack:GROUP_BY:3`). The value is everything after the second colon, so regular expressions may hold colons.
 */
export function readConstraints(text: string): Read<string[][]> {
  const out: string[][] = [];
  const parts = text
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const [i, part] of parts.entries()) {
    const label = parts.length > 1 ? `Constraint ${i + 1} ("${part}")` : `"${part}"`;
    const first = part.indexOf(':');
    if (first < 0)
      return { error: `${label}: write attribute:OPERATOR or attribute:OPERATOR:value, e.g. hostname:UNIQUE.` };
    const second = part.indexOf(':', first + 1);
    const attribute = part.slice(0, first).trim();
    const operator = (second < 0 ? part.slice(first + 1) : part.slice(first + 1, second)).trim().toUpperCase();
    const value = second < 0 ? undefined : part.slice(second + 1);
    if (attribute === '') return { error: `${label}: name the attribute before the colon (or "hostname").` };
    if (!(CONSTRAINT_OPERATORS as readonly string[]).includes(operator)) {
      return { error: `${label}: unknown operator "${operator}"; use one of ${CONSTRAINT_OPERATORS.join(', ')}.` };
    }
    const constraint = value === undefined ? [attribute, operator] : [attribute, operator, value];
    try {
      parsePlacementConstraint('wizard', constraint);
    } catch (err) {
      if (!(err instanceof LaunchRequestError)) throw err;
      return { error: `${label}: ${err.problem}.` };
    }
    out.push(constraint);
  }
  return { value: out };
}

/** Environment variables as `NAME=value` words: `LOG_LEVEL=debug GREETING="hello world"`. */
export function readEnvironment(text: string): Read<Record<string, string>> {
  const words = splitWords(text);
  if (words.error !== undefined) return words;
  const out: Record<string, string> = {};
  for (const word of words.value) {
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    if (eq < 0) return { error: `"${word}" has no "=": write NAME=value (quote values with spaces: NAME="a b").` };
    if (!ENVIRONMENT_NAME.test(name))
      return { error: `"${name}" is not a variable name: use letters, digits and _, not starting with a digit.` };
    if (Object.hasOwn(out, name)) return { error: `${name} is set twice.` };
    out[name] = word.slice(eq + 1);
  }
  return { value: out };
}
