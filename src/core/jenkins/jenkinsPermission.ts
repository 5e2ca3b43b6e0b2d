/**
 * Jenkins permission ids (`hudson.model.Computer.Create`, as sent in `X-Required-Permission`) and the
 * names an administrator sees in the security matrix (`Agent/Create`), so a 403 names what to grant in
 * the words of the screen where it is granted.
 */

/** Permission group class → the group's title in the matrix. */
const GROUP_TITLES: Readonly<Record<string, string>> = {
  'hudson.model.Hudson': 'Overall',
  'jenkins.model.Jenkins': 'Overall',
  'hudson.model.Computer': 'Agent',
  'hudson.model.Item': 'Job',
  'hudson.model.Run': 'Run',
  'hudson.model.View': 'View',
  'hudson.scm.SCM': 'SCM',
};

/** The permissions each operation of the client needs (reference §4.1). */
export const JENKINS_PERMISSIONS = {
  read: 'hudson.model.Hudson.Read',
  administer: 'hudson.model.Hudson.Administer',
  createAgent: 'hudson.model.Computer.Create',
  deleteAgent: 'hudson.model.Computer.Delete',
  connectAgent: 'hudson.model.Computer.Connect',
  disconnectAgent: 'hudson.model.Computer.Disconnect',
} as const;

/** `hudson.model.Computer.Create` → `Agent/Create`; an id of an unknown group keeps its class name. */
export function permissionTitle(id: string): string {
  const dot = id.lastIndexOf('.');
  if (dot <= 0 || dot === id.length - 1) return id;
  const group = id.slice(0, dot);
  const name = id.slice(dot + 1);
  const title = GROUP_TITLES[group] ?? group.slice(group.lastIndexOf('.') + 1);
  return `${title}/${name}`;
}
