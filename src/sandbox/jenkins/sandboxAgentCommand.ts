/**
 * The agent template `command` for agents of the sandbox Jenkins. The sandbox serves its own inbound agent,
 * a Node program (dist/sandbox-agent.js), as `jnlpJars/agent.jar`: the default `java -jar agent.jar …`
 * cannot run it, `node agent.jar …` can, with the same arguments. The secret goes through fd 3 as in the
 * default command (see agentTaskRequest), so it is in no command line. `node` is the program to run it with
 * (default: `node` from the task's PATH).
 */
export function sandboxAgentCommand(node = 'node'): string {
  const program = /^[A-Za-z0-9_./-]+$/.test(node) ? node : `'${node.replace(/'/g, `'\\''`)}'`;
  return [
    `exec ${program} "\${MESOS_SANDBOX:-.}/agent.jar" -url "$JENKINS_URL" -name "$JENKINS_AGENT_NAME" ` +
      '-secret @/dev/fd/3 -workDir "$JENKINS_AGENT_WORKDIR" -noReconnect 3<<EOF',
    '$JENKINS_SECRET',
    'EOF',
  ].join('\n');
}
