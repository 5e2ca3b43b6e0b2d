import type { CommandInfo, ContainerInfo, EnvironmentVariable } from '../../mesos/codec';
import { LaunchRequestError } from '../launchRequestError';
import type { TaskRequest } from '../taskRequest';
import type { AgentTemplate } from './agentTemplate';

/** Tasks of one template form one placement group, so UNIQUE / MAX_PER constraints count per template. */
export const AGENT_TASK_GROUP_PREFIX = 'jenkins-agent:';

/*
 * How the agent's secret reaches it, and where it can still be seen.
 *
 * The secret (HMAC of the node name, reference §4.5) lets anyone connect as this node until the node is
 * deleted. It travels as the environment variable JENKINS_SECRET of the task (CommandInfo.environment):
 * - not in the task's command line: Mesos shows part of the command in the executor's name on the agent's
 *   /state, and the whole of it is in every `ps` on the host;
 * - not in the master's /master/state or the operator API's task lists: the master's Task carries no
 *   CommandInfo (Mesos src/common/http.cpp, json(Task): id, name, state, resources, statuses, labels,
 *   discovery, container; the captured 1.12 master-state.json matches). It does carry ContainerInfo, which is
 *   why nothing secret goes there;
 * - not in a sandbox file: the agent's /files/read serves the sandbox to whoever may browse it. The default
 *   command moves the value into an unexported shell variable at once, so neither java nor the builds
 *   inherit it, and hands it to agent.jar through a here-document on fd 3 (`-secret @/dev/fd/3`, which
 *   agent.jar reads as an argument file), so it is neither in java's argv nor on disk.
 * It is never saved by the scheduler: `secretEnvironment` names it, so the scheduler's snapshot (extension
 * global state, the CLI's state file) keeps it empty, and a pending launch is not restored (the autoscaler
 * launches again with a fresh node).
 * It can still be read: in our own ACCEPT call (never log TaskInfo environments), in the Mesos agent's
 * checkpointed task (its work_dir/meta, root only), and in /proc/<pid>/environ of the executor and the first
 * shell (the task's user and root). With an image and no command, the image's entrypoint
 * (jenkins/inbound-agent) reads JENKINS_SECRET and passes `-secret <hex>` on java's command line (visible
 * to `ps` wherever the container's processes are); with the Docker containerizer every environment
 * variable is also a `docker run -e` argument on the host and in `docker inspect`. Mesos' own secrets
 * (Environment.Variable type SECRET) would hide it better but need the Mesos containerizer and a secret
 * store the autoscaler could write to; the per-node secret is short-lived and dies with the node (names
 * are never reused), which is the limit of what it opens.
 */

/** Puts the secret into an unexported shell variable of the same name: children no longer inherit it. */
const KEEP_SECRET_IN_SHELL =
  'JENKINS_SECRET_=$JENKINS_SECRET; unset JENKINS_SECRET; JENKINS_SECRET=$JENKINS_SECRET_; unset JENKINS_SECRET_';

function defaultCommand(template: AgentTemplate): string {
  const jvm = template.jvmArgs === '' ? '' : `${template.jvmArgs} `;
  const webSocket = template.webSocket ? ' -webSocket' : '';
  return [
    KEEP_SECRET_IN_SHELL,
    `exec java ${jvm}-jar "\${MESOS_SANDBOX:-.}/agent.jar" -url "$JENKINS_URL" -name "$JENKINS_AGENT_NAME" ` +
      `-secret @/dev/fd/3 -workDir "$JENKINS_AGENT_WORKDIR"${webSocket} -noReconnect 3<<EOF`,
    '$JENKINS_SECRET',
    'EOF',
  ].join('\n');
}

function container(template: AgentTemplate): ContainerInfo | undefined {
  if (template.image === undefined) return undefined;
  return template.containerizer === 'docker'
    ? { type: 'DOCKER', docker: { image: template.image, network: 'HOST' } }
    : { type: 'MESOS', mesos: { image: { type: 'DOCKER', docker: { name: template.image } } } };
}

/**
 * The Mesos task for agent `name` of `template`: its id and name are the node name. It fetches agent.jar
 * from the controller (`<jenkinsUrl>jnlpJars/agent.jar`, no credentials needed, never cached: it must match
 * the controller's version) and starts
 * `java <jvmArgs> -jar agent.jar -url <jenkinsUrl> -name <name> -secret @/dev/fd/3 -workDir <remoteFs> [-webSocket] -noReconnect`
 * (reference §4.7), or the template's own command, or the image's entrypoint. `-noReconnect` makes the task
 * end when its node is deleted or the controller restarts. See the comment above for the secret.
 *
 * Throws LaunchRequestError for a Jenkins URL that is not http(s) or carries credentials, or an empty secret.
 */
export function agentTaskRequest(
  template: AgentTemplate,
  name: string,
  jenkinsUrl: string,
  secret: string,
): TaskRequest {
  let url: URL;
  try {
    url = new URL(jenkinsUrl);
  } catch {
    throw new LaunchRequestError(
      name,
      `the Jenkins URL ${JSON.stringify(jenkinsUrl)} is not a URL`,
      "Set the cluster's jenkinsUrl to the controller's root URL, e.g. https://ci.example.com/",
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LaunchRequestError(
      name,
      `the Jenkins URL ${JSON.stringify(jenkinsUrl)} is not http(s)`,
      "Use the controller's http(s) root URL",
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new LaunchRequestError(
      name,
      'the Jenkins URL carries credentials, which would end up in the task',
      'Remove them from the URL; agent.jar needs none',
    );
  }
  if (secret === '' || /\s/.test(secret)) {
    throw new LaunchRequestError(
      name,
      'the agent secret is empty or contains white space',
      `Read it again from computer/${name}/jenkins-agent.jnlp`,
    );
  }
  const root = url.href.endsWith('/') ? url.href : `${url.href}/`;
  const variables: EnvironmentVariable[] = [
    { name: 'JENKINS_URL', value: root },
    { name: 'JENKINS_AGENT_NAME', value: name },
    { name: 'JENKINS_AGENT_WORKDIR', value: template.remoteFs },
    { name: 'JENKINS_SECRET', value: secret },
    // read by the jenkins/inbound-agent entrypoint; harmless for the other commands
    { name: 'REMOTING_OPTS', value: '-noReconnect' },
  ];
  if (template.webSocket) variables.push({ name: 'JENKINS_WEB_SOCKET', value: 'true' });
  if (template.jvmArgs !== '') variables.push({ name: 'JENKINS_JAVA_OPTS', value: template.jvmArgs });

  const entrypoint = template.image !== undefined && template.command === undefined;
  const command: CommandInfo = entrypoint
    ? { shell: false, environment: { variables } }
    : {
        uris: [{ value: `${root}jnlpJars/agent.jar`, extract: false, executable: false, cache: false }],
        environment: { variables },
        shell: true,
        value:
          template.command === undefined ? defaultCommand(template) : `${KEEP_SECRET_IN_SHELL}\n${template.command}`,
      };
  const image = container(template);
  return {
    id: name,
    name,
    cpus: template.cpus,
    mem: template.mem,
    ...(template.disk > 0 ? { disk: template.disk } : {}),
    ...(template.role !== undefined ? { role: template.role } : {}),
    group: `${AGENT_TASK_GROUP_PREFIX}${template.name}`,
    ...(template.constraints.length > 0 ? { constraints: template.constraints.map((c) => [...c]) } : {}),
    command,
    ...(image ? { container: image } : {}),
    restart: 'never',
    // the scheduler saves its pending requests and tasks to disk: the secret must not go with them
    secretEnvironment: ['JENKINS_SECRET'],
  };
}
