/**
 * A file mode as `ls -l` writes it (`drwxr-xr-x`), which is how the agent's legacy `/files/browse`
 * shows `mode`; the v1 `LIST_FILES` gives the raw `st_mode` number instead, so both are shown alike.
 */
export function fileModeString(mode: number): string {
  const type = (mode >>> 12) & 0o17;
  const kind = TYPE_LETTER.get(type) ?? '-';
  const bit = (mask: number, letter: string) => ((mode & mask) !== 0 ? letter : '-');
  const special = (exec: number, flag: number, set: string, unsetExec: string) => {
    const x = (mode & exec) !== 0;
    if ((mode & flag) === 0) return x ? 'x' : '-';
    return x ? set : unsetExec;
  };
  return (
    kind +
    bit(0o400, 'r') +
    bit(0o200, 'w') +
    special(0o100, 0o4000, 's', 'S') +
    bit(0o040, 'r') +
    bit(0o020, 'w') +
    special(0o010, 0o2000, 's', 'S') +
    bit(0o004, 'r') +
    bit(0o002, 'w') +
    special(0o001, 0o1000, 't', 'T')
  );
}

// The S_IFMT field of st_mode, shifted down by 12 bits.
const TYPE_LETTER: ReadonlyMap<number, string> = new Map([
  [0o01, 'p'],
  [0o02, 'c'],
  [0o04, 'd'],
  [0o06, 'b'],
  [0o10, '-'],
  [0o12, 'l'],
  [0o14, 's'],
]);
