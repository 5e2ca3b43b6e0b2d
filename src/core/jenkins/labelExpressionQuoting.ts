/**
 * Jenkins' quoting rules for label text, ported from `hudson.util.QuotedStringTokenizer` (itself from
 * Jetty): `quote` for printing atoms inside expressions, `unquote` for string literals and for the
 * whole-string unquoting `Jenkins.getLabel` does, and the tokenizer that splits a node's labelString.
 */

/** Characters whose backslash escape the tokenizer removes; any other `\x` keeps its backslash. */
const ESCAPABLE_CHARS = '\\"\' ';
const LABEL_STRING_DELIMITERS = ' \t\n\r';

/** `QuotedStringTokenizer.quote(s)`: always double-quotes, escaping `" \ \n \r \t \f \b`. */
export function quoteJenkinsString(s: string): string {
  if (s.length === 0) return '""';
  let out = '"';
  for (const c of s) {
    switch (c) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\b':
        out += '\\b';
        break;
      default:
        out += c;
    }
  }
  return out + '"';
}

/**
 * `QuotedStringTokenizer.unquote(s)`: if `s` starts and ends with the same quote character (`"` or `'`),
 * drops them and decodes `\n \r \t \f \b \uXXXX`; any other escaped character stands for itself.
 * Otherwise `s` is returned unchanged.
 *
 * Deviation, on purpose: upstream's `\u` branch reads the wrong characters (it starts at the `u` and
 * shifts by bytes, not nibbles), so `\u0041` does not become `A` there. The grammar never lets `\u` into a
 * string literal, so this only concerns whole-string unquoting; we decode `\uXXXX` as the reference says.
 */
export function unquoteJenkinsString(s: string): string {
  if (s.length < 2) return s;
  const first = s[0];
  const last = s[s.length - 1];
  if (first !== last || (first !== '"' && first !== "'")) return s;
  let out = '';
  let escape = false;
  for (let i = 1; i < s.length - 1; i++) {
    const c = s[i] as string;
    if (escape) {
      escape = false;
      switch (c) {
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'f':
          out += '\f';
          break;
        case 'b':
          out += '\b';
          break;
        case 'u': {
          const hex = s.slice(i + 1, i + 5);
          if (/^[0-9a-fA-F]{4}$/.test(hex)) {
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
          } else {
            out += 'u';
          }
          break;
        }
        default:
          out += c;
      }
    } else if (c === '\\') {
      escape = true;
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * Splits a node's label string the way `Label.parse` does (QuotedStringTokenizer with its defaults):
 * separators are space, tab, CR and LF; `'…'` and `"…"` group text; a backslash escapes `\ " '` and space
 * and is kept before any other character. Quotes may start mid-token (`a"b c"` is the one token `ab c`).
 */
export function tokenizeLabelString(labelString: string): string[] {
  const tokens: string[] = [];
  let token = '';
  let hasToken = false;
  let state: 'start' | 'token' | 'single' | 'double' = 'start';
  let escape = false;
  const flush = () => {
    if (hasToken) tokens.push(token);
    token = '';
    hasToken = false;
    state = 'start';
    escape = false;
  };
  for (const c of labelString) {
    switch (state) {
      case 'start':
        if (LABEL_STRING_DELIMITERS.includes(c)) continue;
        if (c === "'") state = 'single';
        else if (c === '"') state = 'double';
        else {
          token += c;
          hasToken = true;
          state = 'token';
        }
        continue;
      case 'token':
        hasToken = true;
        if (escape) {
          escape = false;
          if (!ESCAPABLE_CHARS.includes(c)) token += '\\';
          token += c;
        } else if (LABEL_STRING_DELIMITERS.includes(c)) {
          flush();
        } else if (c === "'") state = 'single';
        else if (c === '"') state = 'double';
        else if (c === '\\') escape = true;
        else token += c;
        continue;
      case 'single':
      case 'double': {
        hasToken = true;
        const quote = state === 'single' ? "'" : '"';
        if (escape) {
          escape = false;
          if (!ESCAPABLE_CHARS.includes(c)) token += '\\';
          token += c;
        } else if (c === quote) state = 'token';
        else if (c === '\\') escape = true;
        else token += c;
        continue;
      }
    }
  }
  flush();
  return tokens;
}
