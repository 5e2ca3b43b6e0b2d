/** Where JSON text stops being JSON, in the words a person fixing the file needs. */
export interface JsonSyntaxError {
  /** UTF-16 offset of the offending character (the text's length when it ends too early). */
  readonly offset: number;
  /** 1-based, as editors count. */
  readonly line: number;
  readonly column: number;
  /** What the parser expected or found, without its own position text. */
  readonly message: string;
}

/** 1-based line and column of a UTF-16 offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class Stop {
  constructor(readonly offset: number) {}
}

/**
 * The offset of the first character that makes `text` invalid JSON, or undefined when it is valid. V8
 * leaves the position out of some of its messages ("Unexpected token 'x', "…" is not valid JSON"), so the
 * place is found by reading the text against the JSON grammar.
 */
export function firstJsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const stop = (): never => {
    throw new Stop(i);
  };
  const space = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const digits = (): number => {
    const start = i;
    while (i < text.length && text[i]! >= '0' && text[i]! <= '9') i++;
    return i - start;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) stop();
      i++;
    }
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= text.length) stop();
      const code = text.charCodeAt(i);
      if (code === 34) {
        i++;
        return;
      }
      if (code < 0x20) stop();
      if (code === 92) {
        i++;
        const escape = text[i];
        if (escape === 'u') {
          i++;
          for (let k = 0; k < 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i] ?? '')) stop();
            i++;
          }
          continue;
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape)) stop();
      }
      i++;
    }
  };
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (digits() === 0) stop();
    if (text[i] === '.') {
      i++;
      if (digits() === 0) stop();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (digits() === 0) stop();
    }
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === '{') return object();
    if (ch === '[') return array();
    if (ch === '"') return string();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    stop();
  };
  const object = () => {
    i++;
    space();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      space();
      if (text[i] !== '"') stop();
      string();
      space();
      if (text[i] !== ':') stop();
      i++;
      value();
      space();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return;
      }
      stop();
    }
  };
  const array = () => {
    i++;
    space();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      value();
      space();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return;
      }
      stop();
    }
  };
  try {
    value();
    space();
    if (i < text.length) stop();
    return undefined;
  } catch (err) {
    if (err instanceof Stop) return err.offset;
    throw err;
  }
}

/** JSON.parse's complaint about `text`, placed at its line and column; undefined when the text is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    const position = /\bat position (\d+)/.exec(raw)?.[1];
    const offset = position !== undefined ? Number(position) : (firstJsonErrorOffset(text) ?? text.length);
    const message =
      raw
        .replace(/\s*\(line \d+ column \d+\)/, '')
        .replace(/\s+in JSON at position \d+.*$/, '')
        .replace(/\s+at position \d+.*$/, '')
        .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '')
        .replace(/\n/g, '\\n')
        .replace(/\r/g, '\\r')
        .replace(/\t/g, '\\t')
        .trim() || 'not valid JSON';
    return { offset, ...lineColumnAt(text, offset), message };
  }
}
