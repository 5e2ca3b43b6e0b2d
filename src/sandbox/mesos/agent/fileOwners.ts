import { readFile } from 'node:fs/promises';

/**
 * User and group names for file listings, as the agent shows them (`getpwuid`/`getgrgid`, falling back
 * to the number). Read once from /etc/passwd and /etc/group: the sandbox runs as one local user, so a
 * name service beyond those files is not worth a dependency.
 */
export class FileOwners {
  private tables: Promise<{ users: Map<number, string>; groups: Map<number, string> }> | undefined;

  async names(uid: number, gid: number): Promise<{ uid: string; gid: string }> {
    this.tables ??= Promise.all([readTable('/etc/passwd'), readTable('/etc/group')]).then(([users, groups]) => ({
      users,
      groups,
    }));
    const { users, groups } = await this.tables;
    return { uid: users.get(uid) ?? String(uid), gid: groups.get(gid) ?? String(gid) };
  }
}

// name:password:id:… — the third field is the numeric id in both files.
async function readTable(file: string): Promise<Map<number, string>> {
  const table = new Map<number, string>();
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return table;
  }
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    const n = Number(id);
    if (name && id !== undefined && id !== '' && Number.isInteger(n) && !table.has(n)) table.set(n, name);
  }
  return table;
}
