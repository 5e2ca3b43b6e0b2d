/**
 * The `tree=` query parameter of Jenkins' remote API, parsed as stapler's NamedPathPruner does:
 *
 * ```
 * spec  := node ( "," node )*
 * node  := NAME [ "[" spec "]" ] [ "{" range "}" ]
 * range := N | N "," | "," M | N "," M     (N inclusive, M exclusive; {N} is just element N)
 * NAME  := any run of characters other than , [ ] { }     ("*" = every property at that level)
 * ```
 *
 * Names are not trimmed (stapler does not trim either); a repeated name replaces the earlier one.
 */
export interface TreeSpec {
  readonly children: ReadonlyMap<string, TreeSpec>;
  /** Slice applied to an array property: [start, end). */
  readonly range: readonly [number, number];
}

export const ALL_RANGE: readonly [number, number] = [0, Number.MAX_SAFE_INTEGER];

/** What Jenkins answers with HTTP 500 ("Malformed tree expression: …"). */
export class MalformedTreeError extends Error {
  override readonly name = 'MalformedTreeError';
  constructor(
    readonly spec: string,
    readonly detail: string,
  ) {
    super(`Malformed tree expression: java.lang.IllegalArgumentException: ${detail}`);
  }
}

type Token = ',' | '[' | ']' | '{' | '}' | 'EOF';
const TOKEN_NAMES: Record<Token, string> = {
  ',': 'COMMA',
  '[': 'LBRACE',
  ']': 'RBRACE',
  '{': 'QLBRACE',
  '}': 'QRBRACE',
  EOF: 'EOF',
};

export function parseTreeSpec(spec: string): TreeSpec {
  let pos = 0;
  let next = 0;
  const peek = (): Token | { name: string } => {
    if (pos === spec.length) return 'EOF';
    const c = spec[pos] as string;
    if (c === ',' || c === '[' || c === ']' || c === '{' || c === '}') {
      next = pos + 1;
      return c;
    }
    next = pos;
    while (next < spec.length && !',[]{}'.includes(spec[next] as string)) next++;
    return { name: spec.slice(pos, next) };
  };
  const advance = () => {
    pos = next;
  };
  const fail = (what: string): never => {
    throw new MalformedTreeError(spec, `${what} at ${pos}`);
  };
  const expect = (token: Token) => {
    if (peek() !== token) fail(`expected ${TOKEN_NAMES[token]}`);
    advance();
  };
  const accept = (token: Token): boolean => {
    if (peek() !== token) return false;
    advance();
    return true;
  };
  const expectNumber = (): number => {
    const t = peek();
    if (typeof t === 'string' || !/^[0-9]+$/.test(t.name)) fail('expected number');
    advance();
    const value = Number((t as { name: string }).name);
    // Java's Integer.parseInt would throw on overflow, which Jenkins reports as a server error too.
    if (value > 2147483647) fail('number out of range');
    return value;
  };
  const parseRange = (): [number, number] => {
    if (accept(',')) return [0, expectNumber()];
    const min = expectNumber();
    if (peek() === '}') return [min, min + 1];
    expect(',');
    if (peek() === '}') return [min, Number.MAX_SAFE_INTEGER];
    return [min, expectNumber()];
  };
  type Mutable = { children: Map<string, Mutable>; range: readonly [number, number] };
  const list = (tree: Mutable) => {
    for (;;) {
      node(tree);
      if (!accept(',')) return;
    }
  };
  const node = (tree: Mutable) => {
    const t = peek();
    if (typeof t === 'string') fail('expected name');
    advance();
    const subtree: Mutable = { children: new Map(), range: ALL_RANGE };
    tree.children.set((t as { name: string }).name, subtree);
    if (accept('[')) {
      list(subtree);
      expect(']');
    }
    if (accept('{')) {
      subtree.range = parseRange();
      expect('}');
    }
  };
  const root: Mutable = { children: new Map(), range: ALL_RANGE };
  list(root);
  expect('EOF');
  return root;
}
